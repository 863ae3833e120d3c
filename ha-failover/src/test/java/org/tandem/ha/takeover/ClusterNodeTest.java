package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.CapturedLog;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.fencing.Fencer;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.ha.takeover.NodeTestSupport.await;
import static org.tandem.ha.takeover.NodeTestSupport.freePort;

/**
 * Two real nodes in one JVM, heartbeating over loopback with fast timings (keepalive 50 ms, deadtime 300 ms):
 * groups start where preferred, move on switchover, and are taken over after fencing when a node dies; no group
 * is ever online on both at once (the fake target checks every start).
 */
class ClusterNodeTest {
    private static final List<String> HA_CF = List.of("node s1 s2", "keepalive 50ms", "warntime 150ms",
            "deadtime 300ms", "initdead 600ms", "ucast lo 127.0.0.1");

    @TempDir
    Path dir;

    /** The "target" both nodes share: who has each target online; a second owner is a split brain. */
    private final Map<String, String> online = new ConcurrentHashMap<>();
    private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private final class FakeResources implements GroupResources {
        private final String node;

        FakeResources(String node) {
            this.node = node;
        }

        @Override
        public void promote(String r, boolean peerFenced) {
            log.add(node + " promote " + r + (peerFenced ? " (peer fenced)" : ""));
        }

        @Override
        public void demote(String r) {
            log.add(node + " demote " + r);
        }

        @Override
        public void activateVolumeGroup(String vg) {
            log.add(node + " activate " + vg);
        }

        @Override
        public void deactivateVolumeGroup(String vg) {
            log.add(node + " deactivate " + vg);
        }

        @Override
        public void targetsOnline(List<String> targets) {
            for (String t : targets) {
                String before = online.put(t, node);
                // A previous owner that was fenced is powered off: its LUNs went with it.
                if (before != null && !before.equals(node) && !fenced(before)) {
                    violations.add(t + " online on " + before + " and " + node);
                }
            }
            log.add(node + " online " + targets);
        }

        @Override
        public void targetsOffline(List<String> targets) {
            // Draining takes a while: several of the peer's heartbeats arrive during a release.
            try {
                Thread.sleep(120);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            targets.forEach(t -> online.remove(t, node));
            log.add(node + " offline " + targets);
        }

        @Override
        public void addressUp(ResourceGroup.FloatingAddress a) {
        }

        @Override
        public void addressDown(ResourceGroup.FloatingAddress a) {
        }

        @Override
        public void announceMove(List<String> targets) {
        }

        @Override
        public void tickle(List<org.tandem.ha.heartbeat.TcpConnection> connections) {
        }
    }

    private Path fenceLog;

    private boolean fenced(String node) {
        try {
            return fenceLog != null && Files.exists(fenceLog) && Files.readAllLines(fenceLog).contains(node);
        } catch (java.io.IOException e) {
            return false;
        }
    }


    private ClusterNode node(String name, HaConfig config, List<ResourceGroup> groups, AuthKeys keys, Fencer fencer,
                             int local, int peer) {
        return new ClusterNode(config, groups, keys, name, new FakeResources(name), fencer,
                new PingMonitor(List.of(), 100), local, peer, List::of);
    }

    @Test
    void groupsStartWherePreferredMoveOnSwitchoverAndAreTakenOverAfterFencing() throws Exception {
        fenceLog = dir.resolve("fenced");
        Path fence = dir.resolve("fence-test");
        Files.writeString(fence, "#!/bin/sh\necho \"$1\" >> " + fenceLog + "\n");
        Files.setPosixFilePermissions(fence, PosixFilePermissions.fromString("rwx------"));
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), concat(HA_CF, "fence_command " + fence));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 cluster-test-secret-1"));
        List<ResourceGroup> groups = List.of(
                new ResourceGroup("db", "s1", List.of("r0"), List.of("iqn.x:db"), List.of()),
                new ResourceGroup("web", "s2", List.of("r1"), List.of("iqn.x:web"), List.of()));
        Fencer fencer = new Fencer(config.fencing(), new CommandRunner(), Duration.ofSeconds(5));
        int p1 = freePort();
        int p2 = freePort();
        try (ClusterNode s1 = node("s1", config, groups, keys, fencer, p1, p2)) {
            ClusterNode s2 = node("s2", config, groups, keys, fencer, p2, p1);
            try {
                s1.start();
                s2.start();
                await("db on s1 and web on s2", () -> "s1".equals(online.get("iqn.x:db"))
                        && "s2".equals(online.get("iqn.x:web")));

                // Replicated state: done once the peer holds it.
                s1.replicate("pr iqn.x:db 0", new byte[] {4, 2}).get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(s2.records().get("pr iqn.x:db 0")).containsExactly(4, 2);

                s1.switchover("db").get(10, java.util.concurrent.TimeUnit.SECONDS);
                await("db moves to s2", () -> "s2".equals(online.get("iqn.x:db")));
                assertThat(log).containsSubsequence("s1 offline [iqn.x:db]", "s1 demote r0", "s2 promote r0",
                        "s2 online [iqn.x:db]");
                Thread.sleep(400);
                assertThat(online).as("db stays on s2: s1 declines it").containsEntry("iqn.x:db", "s2");

                // Failback: s1 still shows its old decline of db, which must not cancel s2's new one.
                int before = log.size();
                s2.switchover("db").get(10, java.util.concurrent.TimeUnit.SECONDS);
                await("db moves back to s1", () -> "s1".equals(online.get("iqn.x:db")));
                Thread.sleep(400);
                assertThat(online).as("db stays on s1").containsEntry("iqn.x:db", "s1");
                assertThat(log.subList(before, log.size())).as("db started once, on s1")
                        .containsOnlyOnce("s1 online [iqn.x:db]").doesNotContain("s2 online [iqn.x:db]");
            } finally {
                s2.close(); // dies: no release, no more heartbeats
            }
            await("s1 takes both groups after fencing s2", () -> "s1".equals(online.get("iqn.x:db"))
                    && "s1".equals(online.get("iqn.x:web")));
            assertThat(Files.readString(fenceLog)).isEqualTo("s2\n");
            // Only the takeover after the fence may drop DRBD's connection to the peer; the switchovers never.
            assertThat(log).contains("s1 promote r1 (peer fenced)").containsOnlyOnce("s2 promote r0")
                    .doesNotContain("s2 promote r0 (peer fenced)", "s1 promote r0 (peer fenced)");
            // A stopped node: late calls (the iSCSI server closing its connections at shutdown) do not throw.
            s2.connectionsChanged();
            assertThat(s2.replicate("pr iqn.x:web 0", new byte[] {1})).isCompletedExceptionally();
            // With the peer fenced there is nobody to wait for.
            s1.replicate("pr iqn.x:db 0", new byte[] {5}).get(10, java.util.concurrent.TimeUnit.SECONDS);
            await("the status shows the takeover", () -> s1.status().lastTakeover().action().equals("start")
                    && s1.status().groups().stream().allMatch(g -> g.here().equals("SERVING")));
            assertThat(s1.status().lastTakeover().steps().get(0).step()).isEqualTo("fence s2");
            assertThat(s1.status().peerStatus()).isEqualTo("DEAD");
        }
        assertThat(violations).as("a target online on two nodes at once").isEmpty();
    }

    @Test
    void whenFencingFailsNothingIsTakenOver() throws Exception {
        Path fence = dir.resolve("fence-fails");
        Path attempts = dir.resolve("fence-attempts");
        Files.writeString(fence, "#!/bin/sh\necho x >> " + attempts + "\necho 'power switch unreachable'; exit 1\n");
        Files.setPosixFilePermissions(fence, PosixFilePermissions.fromString("rwx------"));
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), concat(HA_CF, "fence_command " + fence));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 cluster-test-secret-1"));
        List<ResourceGroup> groups = List.of(new ResourceGroup("db", "s2", List.of(), List.of("iqn.x:db"),
                List.of()));
        try (ClusterNode s1 = node("s1", config, groups, keys,
                new Fencer(config.fencing(), new CommandRunner(), Duration.ofSeconds(5)), freePort(), freePort())) {
            s1.start(); // s2 never appears: dead after initdead, fencing fails, retried after 1 s, 2 s, ...
            await("s1 declares s2 dead", () -> s1.status() != null && s1.status().peerStatus().equals("DEAD"));
            Thread.sleep(1500);
            assertThat(online).isEmpty();
            // retried with a backoff, not at every tick (before, dozens of times in these 1.5 s)
            assertThat(Files.readAllLines(attempts)).hasSizeBetween(1, 3);
            assertThat(s1.status().groups().get(0).here()).isEqualTo("OFFLINE");
        }
    }

    /** A node stopped while it waits out its fence delay does not fence when the delay ends: it takes nothing over. */
    @Test
    void aNodeClosedDuringItsFenceDelayDoesNotFence() throws Exception {
        fenceLog = dir.resolve("fenced");
        Path fence = dir.resolve("fence-test");
        Files.writeString(fence, "#!/bin/sh\necho \"$1\" >> " + fenceLog + "\n");
        Files.setPosixFilePermissions(fence, PosixFilePermissions.fromString("rwx------"));
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), concat(concat(HA_CF, "fence_command " + fence),
                "fence_delay s1 1"));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 cluster-test-secret-1"));
        List<ResourceGroup> groups = List.of(new ResourceGroup("db", "s2", List.of(), List.of("iqn.x:db"),
                List.of()));
        ClusterNode s1 = node("s1", config, groups, keys,
                new Fencer(config.fencing(), new CommandRunner(), Duration.ofSeconds(5)), freePort(), freePort());
        try (CapturedLog captured = new CapturedLog()) {
            s1.start(); // s2 never appears: dead after initdead (600 ms), then s1's 1 s fence delay
            await("s1 declares s2 dead", () -> s1.status() != null && s1.status().peerStatus().equals("DEAD"));
            s1.close();
            Thread.sleep(1500); // past the end of the delay
            assertThat(fenceLog).doesNotExist();
            assertThat(captured.lines()).anyMatch(l -> l.contains("closing during the fence delay; not fencing s2"));
        } finally {
            s1.close();
        }
    }

    /**
     * Node names ignore case, as in Heartbeat: ha.cf, haresources and --node each spell them differently, and the
     * nodes still know each other (their heartbeats carry the one lowercase spelling) and start the group where
     * haresources prefers it.
     */
    @Test
    void nodeNamesSpelledInOtherCapitalsAreTheSameNodes() throws Exception {
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), List.of("node Storage1 STORAGE2", "keepalive 50ms",
                "warntime 150ms", "deadtime 300ms", "initdead 600ms", "ucast lo 127.0.0.1", "fencing none"));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 cluster-test-secret-1"));
        List<ResourceGroup> groups = org.tandem.ha.config.HaResourcesParser.parse(dir.resolve("haresources"),
                List.of("STORAGE1 group::db iscsi-target::iqn.x:db"), config);
        Fencer fencer = new Fencer(config.fencing(), new CommandRunner(), Duration.ofSeconds(5));
        int p1 = freePort();
        int p2 = freePort();
        try (ClusterNode s1 = node("storage1", config, groups, keys, fencer, p1, p2);
             ClusterNode s2 = node("Storage2", config, groups, keys, fencer, p2, p1)) {
            s1.start();
            s2.start();
            await("db on storage1, each node seeing the other alive", () -> "storage1".equals(online.get("iqn.x:db"))
                    && s2.status() != null && s2.status().peerStatus().equals("ALIVE")
                    && s1.status().peerStatus().equals("ALIVE"));
            assertThat(s2.status().self()).isEqualTo("storage2");
            assertThat(s2.status().peer()).isEqualTo("storage1");
        }
        assertThat(violations).isEmpty();
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> all = new ArrayList<>(a);
        all.add(b);
        return all;
    }
}
