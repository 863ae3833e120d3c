package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.heartbeat.PacketCodec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pair of storage nodes in network namespaces (see {@link ClusterHarness}), with qemu's initiator on a third
 * host writing to the floating portal while nodes die, links are cut, groups are switched over and a stranger
 * sends forged heartbeats. keepalive 200 ms, deadtime 1 s, fence_delay 1 s on b.
 */
class ClusterE2ETest {
    private static final int BLOCK = 64 * 1024;
    private static final int REGION = 512; // 512 x 64 KiB = 32 MiB of the 64 MiB LUN

    @TempDir
    Path dir;

    /** Writes numbered 64 KiB blocks, each with its own pattern; remembers which were acknowledged and when. */
    private static final class Writer {
        final QemuIoSession io;
        final List<Integer> acknowledged = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<Long> ackTimes = new ArrayList<>();

        Writer(QemuIoSession io) {
            this.io = io;
        }

        static int pattern(int i) {
            return 1 + (i * 7) % 250;
        }

        void write(int i) throws Exception {
            QemuIoSession.Answer a = io.run("write -P " + pattern(i) + " " + (long) (i % REGION) * BLOCK + " "
                    + BLOCK, 60);
            if (a.ok()) {
                acknowledged.add(i);
                ackTimes.add(a.nanos());
            } else {
                errors.add(i + ": " + a.line());
            }
        }

        /** The longest time between two consecutive acknowledgements, in ms. */
        long longestPauseMillis() {
            long worst = 0;
            for (int i = 1; i < ackTimes.size(); i++) {
                worst = Math.max(worst, ackTimes.get(i) - ackTimes.get(i - 1));
            }
            return TimeUnit.NANOSECONDS.toMillis(worst);
        }

        /** Reads back the newest acknowledged write of every block: each must carry its pattern. */
        List<String> verify(QemuIoSession reader) throws Exception {
            List<String> bad = new ArrayList<>();
            int[] newest = new int[REGION];
            Arrays.fill(newest, -1);
            acknowledged.forEach(i -> newest[i % REGION] = i);
            for (int b = 0; b < REGION; b++) {
                if (newest[b] >= 0) {
                    QemuIoSession.Answer a = reader.run("read -P " + pattern(newest[b]) + " " + (long) b * BLOCK + " "
                            + BLOCK, 60);
                    if (!a.ok()) {
                        bad.add("block " + b + " (write " + newest[b] + "): " + a.line());
                    }
                }
            }
            return bad;
        }
    }

    /** Both nodes up, a serving the group with the floating address. */
    private static ClusterHarness pair(Path dir) throws Exception {
        return pair(ClusterHarness.create(dir, ""));
    }

    /** Starts both nodes; on any failure the harness is closed (its namespaces removed) before the test fails. */
    private static ClusterHarness pair(ClusterHarness h) throws Exception {
        try {
            return startPair(h);
        } catch (Exception | AssertionError e) {
            h.close();
            throw e;
        }
    }

    private static ClusterHarness startPair(ClusterHarness h) throws Exception {
        h.start("a");
        h.start("b");
        h.awaitLog("a", "group ha SERVING", 30);
        h.awaitLog("b", "peer a alive", 30);
        assertThat(h.holdsFloating("a")).isTrue();
        assertThat(h.holdsFloating("b")).isFalse();
        // The portal answers: one read, retried a few times. libiscsi sometimes fails its very first login right
        // after the address comes up ("Can not reconnect right now"); later I/O is what the tests judge.
        Tools.Result probe = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            probe = Tools.run(30, h.initiator("qemu-io", "-f", "raw", "-c", "read 0 512", h.url()));
            if (probe.ok() && probe.output().contains("read 512/512")) {
                return h;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("the floating portal never answered: " + probe.output());
    }

    /**
     * Writes under load, kills the owner after 100 writes (power off, or only its daemon), checks the survivor
     * takes over with every write completing and reading back; returns the time from the kill to the first
     * completed write. The owner is a (the survivor b waits its 1 s fence_delay), or b after a switchover (the
     * survivor a has no delay: the failover a preferred node gives).
     */
    private long killOwnerUnderLoad(Path runDir, boolean powerOff, String owner) throws Exception {
        try (ClusterHarness h = pair(runDir)) {
            try {
                if (owner.equals("b")) {
                    assertThat(h.tandemctl("a", "switchover", "ha").ok()).isTrue();
                    h.awaitLog("b", "group ha SERVING", 20);
                }
                return killOwnerUnderLoad(h, runDir, powerOff, owner);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
    }

    private long killOwnerUnderLoad(ClusterHarness h, Path runDir, boolean powerOff, String owner) throws Exception {
        String survivor = owner.equals("a") ? "b" : "a";
        Writer w;
        long deathNanos;
        try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
            w = new Writer(io);
            for (int i = 0; i < 100; i++) {
                w.write(i);
            }
            deathNanos = System.nanoTime();
            if (powerOff) {
                h.powerOff(owner);
            } else {
                h.node(owner).process.destroyForcibly(); // SIGKILL: the node and its links stay up
            }
            for (int i = 100; i < 250; i++) {
                w.write(i);
            }
        }
        assertThat(w.errors).as("writes the initiator saw fail").isEmpty();
        assertThat(w.acknowledged).hasSize(250);
        assertThat(Files.readString(runDir.resolve("fenced"))).isEqualTo(owner + "\n");
        h.awaitLog(survivor, "group ha SERVING", 10);
        assertThat(h.holdsFloating(survivor)).isTrue();
        assertThat(Tools.run(10, "ip", "-n", h.node(owner).ns, "link", "show", "eth0").output())
                .as("fencing took the owner's links down").contains("state DOWN");
        try (QemuIoSession reader = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
            assertThat(w.verify(reader)).as("acknowledged writes that did not read back").isEmpty();
        }
        long first = w.ackTimes.stream().filter(t -> t > deathNanos).findFirst().orElseThrow();
        if (System.getenv("TANDEM_LIBISCSI_DEBUG") != null) {
            System.out.println("cluster e2e: death at " + java.time.LocalTime.now().minusNanos(System.nanoTime()
                    - deathNanos) + ", qemu-io remarks: " + w.io.remarks() + "\n" + h.clusterLog());
        }
        return TimeUnit.NANOSECONDS.toMillis(first - deathNanos);
    }

    @Test
    void nodeDeathUnderLoadFiveRunsNoAcknowledgedWriteLostMedianUnderThreeSeconds() throws Exception {
        List<Long> runs = new ArrayList<>();
        for (int run = 1; run <= 5; run++) {
            Path runDir = Files.createDirectory(dir.resolve("run" + run));
            runs.add(killOwnerUnderLoad(runDir, true, "a"));
        }
        List<Long> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        System.out.println("cluster e2e: node death to first completed write on the survivor, 5 runs: " + runs
                + " ms; median " + sorted.get(2) + " ms");
        assertThat(sorted.get(2)).as("median of " + runs).isLessThan(3000);
    }

    @Test
    void theNodeWithoutAFenceDelayTakesOverInAboutASecond() throws Exception {
        List<Long> runs = new ArrayList<>();
        for (int run = 1; run <= 3; run++) {
            Path runDir = Files.createDirectory(dir.resolve("run" + run));
            runs.add(killOwnerUnderLoad(runDir, true, "b"));
        }
        List<Long> sorted = new ArrayList<>(runs);
        sorted.sort(null);
        System.out.println("cluster e2e: b's death, a (no fence delay) takes over, 3 runs: " + runs + " ms; median "
                + sorted.get(1) + " ms");
        // deadtime 1 s + fencing + takeover; a bound that catches breakage, not a timing assertion
        assertThat(sorted.get(1)).as("median of " + runs).isLessThan(3000);
    }

    @Test
    void aDaemonCrashOnALiveNodeIsFencedThenTakenOver() throws Exception {
        long ms = killOwnerUnderLoad(dir, false, "a");
        System.out.println("cluster e2e: daemon crash to first completed write on the survivor: " + ms + " ms");
    }

    /**
     * kill -9 of the serving daemon: its node and links stay up, and so do the floating address and the DRBD role
     * it took. Restarted before the peer declares it dead (deadtime 8 s here), the new run must not join holding
     * them: it removes the address and demotes (or, when DRBD refuses the demote, stays out of the cluster and is
     * fenced). The group is on b, after a switchover: b is not its preferred node, so once b is back with nothing
     * served, a takes the group; had b kept its leftovers, a's promote would meet two Primaries (or, with DRBD that
     * allowed it, both would hold the address). Meanwhile the address is never on both nodes, and afterwards
     * exactly one node holds it and serves.
     */
    @Test
    void aDaemonRestartedBeforeItIsFencedCleansUpFirstAndExactlyOneNodeServes() throws Exception {
        // The last line counts, as in Heartbeat: a longer deadtime than the harness's, so the restart comes first.
        try (ClusterHarness h = pair(ClusterHarness.create(dir, "deadtime 8\nwarntime 4\ninitdead 16"))) {
            try {
                Tools.Result moved = h.tandemctl("a", "switchover", "ha");
                assertThat(moved.ok()).as(moved.output()).isTrue();
                h.awaitLog("b", "group ha SERVING", 20);
                assertThat(h.drbdRole("b")).isEqualTo("Primary");
                h.node("b").process.destroyForcibly();
                assertThat(h.node("b").process.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(h.holdsFloating("b")).as("the crashed run's address stays up").isTrue();
                assertThat(h.drbdRole("b")).as("and its DRBD role").isEqualTo("Primary");
                long servedOnA = servingLines(h, "a");
                h.start("b");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
                int both = 0;
                String server = null;
                while (server == null && System.nanoTime() < until) {
                    boolean onA = h.holdsFloating("a");
                    boolean onB = h.holdsFloating("b");
                    both += onA && onB ? 1 : 0;
                    // b's log holds only the new run's lines (start() clears it); a's older SERVING lines do not count.
                    if (onA && !onB && servingLines(h, "a") > servedOnA) {
                        server = "a";
                    } else if (onB && !onA && servingLines(h, "b") > 0) {
                        server = "b";
                    }
                    Thread.sleep(50);
                }
                assertThat(both).as("moments the floating address was up on both nodes").isZero();
                assertThat(server).as("one node serves again").isNotNull();
                assertThat(h.node("b").logged("left over from an earlier run of this node (a crash?); removed")
                        || h.node("b").logged("stays out of the cluster")).as("the restarted run dealt with the"
                        + " leftovers first").isTrue();
                List<String> bLog = List.copyOf(h.node("b").lines);
                int dealt = indexOf(bLog, "left over from an earlier run of this node (a crash?); removed");
                int joined = indexOf(bLog, "cluster: node b (generation");
                assertThat(joined < 0 || (dealt >= 0 && dealt < joined)).as("b removed its leftovers before it"
                        + " joined (or stayed out):\n" + String.join("\n", bLog)).isTrue();
                int listening = indexOf(bLog, "listening on");
                assertThat(listening >= 0 && (joined < 0 || listening < joined)).as("b's portal listened before it"
                        + " joined, so its floating address never refuses a connection:\n" + String.join("\n", bLog))
                        .isTrue();
                String other = server.equals("a") ? "b" : "a";
                assertThat(h.holdsFloating(other)).isFalse();
                assertThat(h.drbdRole(server)).isEqualTo("Primary");
                assertThat(h.drbdRole(other)).isNotEqualTo("Primary");
                System.out.println("cluster e2e: daemon restarted before fencing: " + server + " serves; b "
                        + (h.node("b").logged("stays out of the cluster") ? "stayed out and was fenced"
                        : "removed its leftovers and joined"));
                try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                    assertWritten(io, "write -P 5 0 64k", 60);
                }
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
    }

    /** Runs one qemu-io write and asserts that it completed; a failure shows what qemu-io said. */
    private static void assertWritten(QemuIoSession io, String command, int seconds) throws Exception {
        QemuIoSession.Answer answer = io.run(command, seconds);
        assertThat(answer.ok()).as("qemu-io %s: %s; it also said %s", command, answer.line(), io.remarks())
                .isTrue();
    }

    /** The index of the first line containing {@code text}, or -1. */
    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** How many times the node's current run logged that it serves the group. */
    private static long servingLines(ClusterHarness h, String node) {
        return h.node(node).lines.stream().filter(l -> l.contains("group ha SERVING")).count();
    }

    @Test
    void heartbeatLinksCutWithBothAliveExactlyOneNodeServes() throws Exception {
        try (ClusterHarness h = pair(dir)) {
            h.heartbeatLink("a", false);
            h.heartbeatLink("b", false);
            // Watch both nodes for five seconds: never the address on both, never the group started on b.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int both = 0;
            while (System.nanoTime() < until) {
                if (h.holdsFloating("a") && h.holdsFloating("b")) {
                    both++;
                }
                Thread.sleep(50);
            }
            assertThat(both).as("moments the floating address was up on both nodes").isZero();
            assertThat(Files.readString(dir.resolve("fenced"))).as("a (no fence_delay) fenced b first")
                    .isEqualTo("b\n");
            assertThat(h.node("b").process.isAlive()).isFalse();
            assertThat(h.node("a").process.isAlive()).isTrue();
            assertThat(h.holdsFloating("a")).isTrue();
            assertThat(h.node("b").logged("starting group ha")).isFalse();
            assertThat(h.node("a").logged("fenced b")).isTrue();
            try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                assertWritten(io, "write -P 9 0 64k", 30);
            }
        }
    }

    /**
     * ha.cf written with the comma lists Heartbeat's config.c splits ("node a, b", "bcast eth1, eth0": two
     * broadcast links, one per network): heartbeats flow both ways on both links and a switchover still happens.
     * Then a ucast line listing both nodes' addresses ("ucast eth1 10.78.0.1, 10.78.0.2", one ha.cf for both): one
     * link per address, each node skipping its own, and the pair works the same.
     */
    @Test
    void commaListedHaCfLinesWorkAsInHeartbeat() throws Exception {
        try (ClusterHarness h = ClusterHarness.create(dir, "node a, b\nbcast eth1, eth0", "")) {
            try {
                pair(h);
                for (String n : List.of("a", "b")) {
                    h.awaitLog(n, "link bcast eth1 up", 10);
                    h.awaitLog(n, "link bcast eth0 up", 10);
                    assertThat(h.node(n).logged("2 link(s) [bcast eth1, bcast eth0]")).as("one link per interface")
                            .isTrue();
                }
                Tools.Result r = h.tandemctl("a", "switchover", "ha");
                assertThat(r.ok()).as(r.output()).isTrue();
                h.awaitLog("b", "group ha SERVING", 20);
                assertThat(h.holdsFloating("b")).isTrue();
                assertThat(h.holdsFloating("a")).isFalse();
                try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                    assertWritten(io, "write -P 7 0 64k", 30);
                }
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
        // Both nodes' heartbeat addresses on one ucast line, as in a shared ha.cf: each node skips its own address.
        Path second = Files.createDirectory(dir.resolve("ucast-list"));
        try (ClusterHarness h = ClusterHarness.create(second, "node a b\nucast eth1 10.78.0.1, 10.78.0.2", "")) {
            try {
                pair(h);
                h.awaitLog("a", "link ucast eth1 10.78.0.2 up", 10);
                h.awaitLog("b", "link ucast eth1 10.78.0.1 up", 10);
                h.awaitLog("a", "ucast eth1 10.78.0.1 is this node's own address; skipped", 5);
                Tools.Result r = h.tandemctl("a", "switchover", "ha");
                assertThat(r.ok()).as(r.output()).isTrue();
                h.awaitLog("b", "group ha SERVING", 20);
                assertThat(h.holdsFloating("b")).isTrue();
                try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                    assertWritten(io, "write -P 8 0 64k", 30);
                }
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
    }

    /**
     * An address added without "brd" leaves its interface no broadcast address (Java reports 0.0.0.0, where a
     * bcast link would reach only its own host): the daemon stops and says how to give it one.
     */
    @Test
    void aBcastLinkOnAnInterfaceWithoutBroadcastAddressStopsTheDaemonWithTheFix() throws Exception {
        try (ClusterHarness h = ClusterHarness.create(dir, "node a b\nbcast eth1", "")) {
            String ns = h.node("a").ns;
            assertThat(Tools.run(10, "ip", "-n", ns, "addr", "flush", "dev", "eth1").ok()).isTrue();
            assertThat(Tools.run(10, "ip", "-n", ns, "addr", "add", "10.78.0.1/24", "dev", "eth1").ok()).isTrue();
            h.start("a");
            assertThat(h.node("a").process.waitFor(60, TimeUnit.SECONDS)).as("the daemon refuses to start").isTrue();
            assertThat(h.node("a").process.exitValue()).isNotZero();
            h.awaitLog("a", "heartbeat link bcast eth1: the interface has no IPv4 broadcast address (give its address"
                    + " one, e.g. 'ip addr add ADDRESS/PREFIX brd + dev eth1', or use ucast)", 5);
        }
    }

    @Test
    void plannedSwitchoverAndFailbackUnderLoadPauseOnlyNoErrors() throws Exception {
        try (ClusterHarness h = pair(dir)) {
            try {
                switchoverAndFailback(h);
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
    }

    private void switchoverAndFailback(ClusterHarness h) throws Exception {
        {
            Writer w;
            List<Long> pauses = new ArrayList<>();
            List<Long> drbdSteps = new ArrayList<>();
            try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                w = new Writer(io);
                int i = 0;
                long moved = System.nanoTime();
                for (String from : List.of("a", "b")) {
                    // libiscsi refuses to reconnect within 3 s of its last successful reconnect ("avoid a reconnect
                    // faster than 3 seconds" in its connect.c), so a failback sooner than that would measure the
                    // initiator's throttle; maintenance moves are minutes apart. Keep writing meanwhile.
                    for (int k = 0; k < 20_000 && (k < 50 || System.nanoTime() - moved < TimeUnit.MILLISECONDS.toNanos(3500)); k++) {
                        w.write(i++);
                    }
                    int before = w.ackTimes.size();
                    Tools.Result r = switchoverWhileWriting(h, from, w, i);
                    i = w.acknowledged.size() + w.errors.size();
                    moved = System.nanoTime();
                    assertThat(r.ok()).as(r.output() + h.clusterLog()).isTrue();
                    assertThat(r.output()).contains("group ha released here");
                    String to = from.equals("a") ? "b" : "a";
                    assertThat(h.holdsFloating(to)).as(h.clusterLog()).isTrue();
                    assertThat(h.holdsFloating(from)).as(h.clusterLog()).isFalse();
                    List<Long> times = w.ackTimes.subList(before - 1, w.ackTimes.size());
                    long worst = 0;
                    long worstAt = 0;
                    for (int k = 1; k < times.size(); k++) {
                        if (times.get(k) - times.get(k - 1) > worst) {
                            worst = times.get(k) - times.get(k - 1);
                            worstAt = times.get(k - 1);
                        }
                    }
                    System.out.println("cluster e2e: longest pause " + from + "->" + to + " began at "
                            + java.time.Instant.ofEpochMilli(System.currentTimeMillis()
                            - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - worstAt)));
                    pauses.add(TimeUnit.NANOSECONDS.toMillis(worst));
                    drbdSteps.add(lastStepMillis(h, from, "demote DRBD r0") + lastStepMillis(h, to, "promote DRBD r0"));
                }
            }
            System.out.println("cluster e2e: qemu-io remarks: " + w.io.remarks());
            System.out.println("cluster e2e: planned switchover a->b and failback b->a, longest pause at the"
                    + " initiator: " + pauses + " ms, of which the DRBD stand-in's demote + promote " + drbdSteps
                    + " ms");
            assertThat(w.errors).as("I/O errors at the initiator").isEmpty();
            // A planned switchover is a pause, not an outage. Issue 4 measured 0.1-0.4 s. Now the device is closed
            // before demote and opened after promote, under a stand-in that enforces DRBD's rules and, being shell
            // scripts (14 runs per move, a python3 in its demote), takes 0.3-1.5 s of the pause on this busy 2-core
            // host: fourteen runs at load 5-10 paused 0.46-2.9 s (a->b, the first move to a node) and 0.38-0.9 s
            // (failback), the stand-in's share 0.3-1.46 s. The whole pause is held to 3 s (an outage). What Tandem
            // itself adds around DRBD (address, LUNs, tickle, the initiator's new login and first write) is held
            // apart, however slow the stand-in is that day: 0.07-0.65 s in thirteen runs, 1.45 s once when the host
            // starved every thread (the tickle step alone took 0.4 s); sessions closed early (the initiator then
            // waits out its 3 s reconnect throttle) exceed 2 s.
            assertThat(pauses).as(h.clusterLog()).allMatch(p -> p < 3000);
            for (int k = 0; k < pauses.size(); k++) {
                assertThat(pauses.get(k) - drbdSteps.get(k)).as("pause %d ms without DRBD's %d ms%n%s", pauses.get(k),
                        drbdSteps.get(k), h.clusterLog()).isLessThan(2000);
            }
            try (QemuIoSession reader = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                assertThat(w.verify(reader)).isEmpty();
            }
        }
    }

    /** The milliseconds of the last '{@code step} (N ms)' a node's lifecycle logged. */
    private static long lastStepMillis(ClusterHarness h, String node, String step) {
        Pattern p = Pattern.compile("group ha: " + Pattern.quote(step) + " \\((\\d+) ms\\)");
        long ms = -1;
        for (String line : h.node(node).lines) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                ms = Long.parseLong(m.group(1));
            }
        }
        assertThat(ms).as(node + " logged '" + step + "'").isNotNegative();
        return ms;
    }

    /** Runs tandemctl switchover on {@code from} while this thread keeps writing 60 blocks. */
    private static Tools.Result switchoverWhileWriting(ClusterHarness h, String from, Writer w, int first)
            throws Exception {
        Tools.Result[] result = new Tools.Result[1];
        Thread ctl = new Thread(() -> result[0] = h.tandemctl(from, "switchover", "ha"));
        ctl.start();
        // Keep writing until the switchover is done, and a little after (bounded in count and time).
        int k = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((ctl.isAlive() || k < 20) && k < 5000 && System.nanoTime() < deadline) {
            w.write(first + k++);
        }
        ctl.join(60_000);
        String to = from.equals("a") ? "b" : "a";
        h.awaitLog(to, "group ha SERVING", 20);
        return result[0];
    }

    /** Runs {@link ReservationClient} on the initiator host against the floating portal, as I_T nexus {@code isid}. */
    private static List<String> reservations(ClusterHarness h, String isid, String... commands) {
        return reservationsAt(h, ClusterHarness.FLOATING, isid, commands);
    }

    /** As {@link #reservations}, at one address (a node's own, to reach its standby LUN). */
    private static List<String> reservationsAt(ClusterHarness h, String address, String isid, String... commands) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), ReservationClient.class.getName(),
                address, ClusterHarness.TARGET, isid));
        command.addAll(List.of(commands));
        Tools.Result r = Tools.run(60, h.initiator(command.toArray(String[]::new)));
        assertThat(r.ok()).as(r.output()).isTrue();
        return r.output().lines().filter(l -> !l.isBlank() && !l.contains("log4j") && !l.contains("Log4j")).toList();
    }

    @Test
    void persistentReservationsAndAluaStateFollowTheOwnersDeath() throws Exception {
        try (ClusterHarness h = pair(dir)) {
            try {
                assertThat(reservations(h, "400000000001", "register", "abc", "reserve", "abc", "1", "keys",
                        "reservation")).containsExactly("register GOOD", "reserve GOOD", "keys GOOD generation=1 [abc]",
                        "reservation GOOD key=abc type=1");
                // The standby node holds the copy before the commands completed.
                assertThat(h.node("b").logged("reservations from the peer (generation 1, 1 registration(s), reserved"
                        + " type 1)")).as(h.clusterLog()).isTrue();
                // ALUA: the owner reports the LUN active/optimized; the standby node, on its own address, standby.
                assertThat(reservations(h, "400000000003", "alua")).containsExactly(
                        "alua GOOD state=active/optimized group=1");
                assertThat(reservationsAt(h, h.node("b").address, "400000000003", "alua")).containsExactly(
                        "alua GOOD state=standby group=1");

                h.powerOff("a");
                h.awaitLog("b", "group ha SERVING", 20);
                assertThat(reservations(h, "400000000001", "keys", "reservation", "write", "alua"))
                        .containsExactly("keys GOOD generation=1 [abc]", "reservation GOOD key=abc type=1",
                                "write GOOD", "alua GOOD state=active/optimized group=1");
                assertThat(reservations(h, "400000000002", "write")).as("another nexus meets the reservation")
                        .containsExactly("write RESERVATION_CONFLICT");
                // The status an operator reads: the peer dead, the group here, the takeover's steps with timings.
                Tools.Result status = h.tandemctl("b", "cluster");
                System.out.println("cluster e2e: tandemctl cluster on b after the takeover:\n" + status.output());
                assertThat(status.output()).contains("peer a DEAD").contains("SERVING").contains("fence a")
                        .contains("promote DRBD r0").contains("address up 10.77.0.100/24 on eth0");
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
    }

    @Test
    void lunChangesOfAGroupedTargetGoThroughIetdConfOnBothAndASwitchoverPresentsTheGrownVolume() throws Exception {
        try (ClusterHarness h = pair(dir)) {
            try {
                // The admin endpoint alone would leave the peer without the LUN: refused, saying what to do.
                Tools.Result add = h.tandemctl("a", "add-lun", ClusterHarness.TARGET, "--path",
                        dir.resolve("extra.img").toString(), "--create", "8M");
                assertThat(add.ok()).isFalse();
                assertThat(add.output()).contains("belongs to cluster group ha").contains("reload");

                // ietd.conf on both, reload on both: served on a, standby on b (b must not serve it).
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("extra.img").toFile(),
                        "rw")) {
                    f.setLength(16L << 20);
                }
                for (String n : List.of("a", "b")) {
                    Files.writeString(dir.resolve(n).resolve("ietd.conf"), "  Lun 1 Path=" + dir.resolve("extra.img")
                            + ",Type=fileio,IOMode=wt,ScsiSN=HA1\n", java.nio.file.StandardOpenOption.APPEND);
                    assertThat(h.tandemctl(n, "reload").ok()).isTrue();
                }
                String onA = h.tandemctl("a", "luns").output();
                String onB = h.tandemctl("b", "luns").output();
                System.out.println("cluster e2e: LUNs on a after the reload:\n" + onA + "on b:\n" + onB);
                assertThat(lunRow(onA, 1)).contains("online");
                assertThat(lunRow(onB, 1)).doesNotContain("online");

                // The shared volume grows while a serves it (lvextend + drbdadm resize, here a bigger file);
                // after a switchover b presents the new size, not the one it opened at start-up.
                try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(dir.resolve("shared.img").toFile(),
                        "rw")) {
                    f.setLength(96L << 20);
                }
                assertThat(h.tandemctl("a", "switchover", "ha").ok()).isTrue();
                h.awaitLog("b", "group ha SERVING", 20);
                onB = h.tandemctl("b", "luns").output();
                assertThat(lunRow(onB, 0)).contains("96").contains("online");
                assertThat(lunRow(onB, 1)).contains("online");
                Tools.Result probe = Tools.run(30, h.initiator("qemu-io", "-f", "raw", "-c", "read -P 0 95M 1M",
                        h.url()));
                assertThat(probe.output()).as("the last MiB of the grown LUN reads through b").contains("read 1048576");
            } catch (Exception | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + h.clusterLog(), e);
            }
        }
    }

    /** The row of a tandemctl luns table for this LUN number. */
    private static String lunRow(String table, int lun) {
        return table.lines().filter(l -> l.startsWith(ClusterHarness.TARGET) && l.split("\\s+").length > 1
                && l.split("\\s+")[1].equals(String.valueOf(lun))).findFirst().orElse("(no LUN " + lun + ")");
    }

    @Test
    void forgedAndReplayedHeartbeatsFromAStrangerChangeNothing() throws Exception {
        try (ClusterHarness h = pair(dir)) {
            Matcher m = Pattern.compile("node a \\(generation (\\d+)\\)").matcher(String.join("\n", h.node("a").lines));
            assertThat(m.find()).isTrue();
            long generation = Long.parseLong(m.group(1));
            HeartbeatPacket leaving = new HeartbeatPacket("a", generation, 3, NodeState.LEAVING,
                    HeartbeatPacket.PingStatus.NONE_CONFIGURED, Map.of());
            PacketCodec right = new PacketCodec(AuthKeys.parse(dir.resolve("x"),
                    List.of("auth 1", "1 sha256 e2e-cluster-secret-0123456789")));
            PacketCodec wrong = new PacketCodec(AuthKeys.parse(dir.resolve("x"),
                    List.of("auth 1", "1 sha256 not-the-cluster-secret-0000")));
            List<byte[]> datagrams = new ArrayList<>();
            for (int k = 0; k < 20; k++) {
                datagrams.add(wrong.encode(new HeartbeatPacket("a", generation + 1, k, NodeState.LEAVING,
                        HeartbeatPacket.PingStatus.NONE_CONFIGURED, Map.of())));          // forged
                datagrams.add(right.encode(leaving));                                    // replayed (old sequence)
                datagrams.add(right.encode(new HeartbeatPacket("mallory", 1, k, NodeState.ACTIVE,
                        HeartbeatPacket.PingStatus.NONE_CONFIGURED, Map.of())));          // foreign node
                datagrams.add(("junk " + k).getBytes());                                 // noise
            }
            h.sendFromStranger("10.78.0.2", 694, datagrams);
            h.sendFromStranger("10.78.0.1", 694, datagrams);
            Thread.sleep(2000);
            for (String n : List.of("a", "b")) {
                h.awaitLog(n, "(BAD_SIGNATURE)", 5);
                h.awaitLog(n, "(MALFORMED)", 5);
            }
            h.awaitLog("b", "(REPLAYED)", 5);
            h.awaitLog("b", "(FOREIGN_NODE)", 5);
            h.awaitLog("a", "(FOREIGN_NODE)", 5);
            assertThat(h.holdsFloating("a")).isTrue();
            assertThat(h.holdsFloating("b")).isFalse();
            assertThat(h.node("b").logged("starting group ha")).isFalse();
            assertThat(h.node("a").logged("releasing group")).isFalse();
            assertThat(Files.exists(dir.resolve("fenced"))).isFalse();
            Tools.Result status = h.tandemctl("b", "--json", "cluster");
            assertThat(status.output()).contains("\"peerStatus\" : \"ALIVE\"");
        }
    }
}
