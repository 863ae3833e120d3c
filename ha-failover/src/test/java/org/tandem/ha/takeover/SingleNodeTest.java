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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One node whose peer never answers ('fencing none', so it may take the group alone once initdead has passed):
 * a quiet stop. keepalive 50 ms, deadtime 300 ms.
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
        public void promote(String r) throws Exception {
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
        public void tickle(List<TcpConnection> connections) {
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
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
