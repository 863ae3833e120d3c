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
import org.tandem.ha.heartbeat.TcpConnection;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.ha.takeover.NodeTestSupport.await;
import static org.tandem.ha.takeover.NodeTestSupport.freePort;

/**
 * One node whose peer never answers ('fencing none', so it may take the group alone once initdead has passed):
 * how often it tries a start that keeps failing, what it logs while its ping nodes are unreachable, and a quiet
 * stop. keepalive 50 ms, deadtime 300 ms; the ping nodes are checked every second.
 */
class SingleNodeTest {
    private static final ResourceGroup GROUP = new ResourceGroup("group1", "s1", List.of("r0"), List.of("iqn.x:db"),
            List.of());

    @TempDir
    Path dir;

    /** The group's resources: promote fails while told to, or blocks until released; the rest always works. */
    private static final class Resources implements GroupResources {
        final AtomicInteger promotes = new AtomicInteger();
        final AtomicBoolean serving = new AtomicBoolean();
        volatile boolean promoteFails;
        volatile CountDownLatch promoteBlocks;
        final CountDownLatch promoting = new CountDownLatch(1);

        @Override
        public void promote(String r, boolean peerFenced) throws Exception {
            promotes.incrementAndGet();
            promoting.countDown();
            CountDownLatch block = promoteBlocks;
            if (block != null) {
                block.await(10, TimeUnit.SECONDS);
            }
            if (promoteFails) {
                throw new Exception("drbdadm primary " + r + ": exit 11");
            }
        }

        @Override
        public void demote(String r) {
        }

        @Override
        public void activateVolumeGroup(String vg) {
        }

        @Override
        public void deactivateVolumeGroup(String vg) {
        }

        @Override
        public void targetsOnline(List<String> targets) {
            serving.set(true);
        }

        @Override
        public void targetsOffline(List<String> targets) {
            serving.set(false);
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
        public void tickle(List<TcpConnection> connections) {
        }
    }

    /** Ping nodes that answer while told to. */
    private static final class Ping extends PingMonitor {
        volatile boolean answering;

        Ping() {
            super(List.of("192.0.2.1"), 10);
        }

        @Override
        protected boolean reachable(String node) {
            return answering;
        }
    }


    private ClusterNode node(Resources resources, PingMonitor ping, String initdead, int port) throws Exception {
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), List.of("node s1 s2", "keepalive 50ms",
                "warntime 150ms", "deadtime 300ms", "initdead " + initdead, "ucast lo 127.0.0.1", "fencing none"));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 cluster-test-secret-1"));
        return new ClusterNode(config, List.of(GROUP), keys, "s1", resources,
                new Fencer(config.fencing(), new CommandRunner(), Duration.ofSeconds(5)), ping, port, freePort(),
                List::of);
    }

    /**
     * drbdadm primary keeps failing: the start is tried 1 s, then 2 s after the failure before (not in a tight loop,
     * hundreds of times a second), each failure logged once with when the next try is; once promote works, the
     * group starts.
     */
    @Test
    void aStartThatKeepsFailingIsRetriedAfterAWaitThatDoubles() throws Exception {
        Resources r = new Resources();
        r.promoteFails = true;
        try (CapturedLog log = new CapturedLog(); ClusterNode s1 = node(r, new PingMonitor(List.of(), 100), "600ms",
                freePort())) {
            s1.start();
            await("the first start failed", () -> r.promotes.get() >= 1);
            Thread.sleep(2_500); // first try at ~0.6 s, then ~1.6 s; the next is due at ~3.6 s
            assertThat(r.promotes.get()).as("tries in about 3 s").isBetween(2, 3);
            List<String> failures = log.warnings().stream().filter(w -> w.contains("did not start")).toList();
            assertThat(failures).hasSizeBetween(2, 3);
            assertThat(failures.get(0)).isEqualTo("cluster: group group1 did not start (failure 1 in a row, "
                    + failures.get(0).replaceAll(".*in a row, (\\d+) ms.*", "$1") + " ms: [promote DRBD r0 "
                    + failures.get(0).replaceAll(".*promote DRBD r0 (\\d+) ms FAILED.*", "$1") + " ms FAILED]);"
                    + " retrying in 1 s, or as soon as the peer, fencing or the ping nodes change");
            assertThat(failures.get(1)).contains("failure 2 in a row").contains("retrying in 2 s");
            r.promoteFails = false;
            await("the group starts once promote works", r.serving::get);
        }
    }

    /**
     * The ping nodes do not answer and the peer is dead: the group stays offline (this node may be the one cut
     * off), which is logged once, not at every heartbeat; when a ping node answers again, once more, and the group
     * starts.
     */
    @Test
    void aGroupHeldBackForUnreachablePingNodesIsLoggedOnceEachWay() throws Exception {
        Resources r = new Resources();
        Ping ping = new Ping(); // unreachable after two silent rounds (~1 s), before initdead ends (1.5 s)
        try (CapturedLog log = new CapturedLog(); ClusterNode s1 = node(r, ping, "1500ms", freePort())) {
            s1.start();
            await("the hold is logged", () -> log.warnings().stream().anyMatch(w -> w.contains("stays OFFLINE")));
            Thread.sleep(500); // some 25 decisions later
            assertThat(log.warnings()).filteredOn(w -> w.contains("group1")).containsExactly("cluster: group group1"
                    + " stays OFFLINE: the peer is dead and this node reaches none of its ping nodes, so it may be"
                    + " the one cut off; it takes the group when a ping node answers (or the peer returns) (ping"
                    + " nodes [192.0.2.1])");
            assertThat(r.promotes.get()).isZero();
            ping.answering = true;
            await("the group starts once a ping node answers", r.serving::get);
            assertThat(log.lines()).filteredOn(l -> l.contains("no longer held back")).containsExactly("INFO cluster:"
                    + " group group1 no longer held back (ping REACHABLE, peer DEAD, node ACTIVE)");
        }
    }

    /**
     * Stopped during a start, with heartbeats still arriving: the receiver hands datagrams to a node that no longer
     * takes work. An orderly stop is no fault, so nothing is logged as a warning.
     */
    @Test
    void stoppingWhileHeartbeatsArriveLogsNoWarning() throws Exception {
        Resources r = new Resources();
        r.promoteBlocks = new CountDownLatch(1);
        int port = freePort();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread flood = new Thread(() -> {
            byte[] noise = new byte[64];
            try (DatagramSocket s = new DatagramSocket()) {
                DatagramPacket p = new DatagramPacket(noise, noise.length, InetAddress.getLoopbackAddress(), port);
                while (flooding.get()) {
                    s.send(p);
                    Thread.sleep(1);
                }
            } catch (Exception e) {
                // the test is over
            }
        });
        try (CapturedLog log = new CapturedLog()) {
            ClusterNode s1 = node(r, new PingMonitor(List.of(), 100), "600ms", port);
            s1.start();
            assertThat(r.promoting.await(10, TimeUnit.SECONDS)).isTrue();
            flood.start();
            Thread stop = new Thread(s1::close); // waits for the promote under way
            stop.start();
            Thread.sleep(300); // the cluster thread has stopped; the receiver still runs
            r.promoteBlocks.countDown();
            stop.join(15_000);
            flooding.set(false);
            flood.join(5_000);
            assertThat(log.warnings()).noneMatch(w -> w.contains("heartbeat receiver")
                    || w.contains("RejectedExecutionException"));
        }
    }
}
