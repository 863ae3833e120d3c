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

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.ha.takeover.NodeTestSupport.freePort;

/**
 * A node restarted after a crash, with the address and the Primary role of its earlier run still up: it removes them
 * before it sends its first heartbeat, or, when it cannot, sends none at all (the peer then fences it).
 */
class ClusterNodeLeftoverTest {
    private static final ResourceGroup DB = new ResourceGroup("db", "s1", List.of("r0"), List.of("iqn.x:db"),
            List.of(new ResourceGroup.FloatingAddress("192.0.2.100", 24, "eth0")));

    @TempDir
    Path dir;

    private ClusterNode node(GroupLifecycleTest.Recording resources, int local, int peer) throws Exception {
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), List.of("node s1 s2", "keepalive 50ms",
                "warntime 150ms", "deadtime 300ms", "initdead 600ms", "ucast lo 127.0.0.1", "fencing none"));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 cluster-test-secret-1"));
        return new ClusterNode(config, List.of(DB), keys, "s1", resources, new Fencer(config.fencing(),
                new CommandRunner(), Duration.ofSeconds(5)), new PingMonitor(List.of(), 100), local, peer, List::of);
    }

    /** Whether a heartbeat reaches the peer's port within 500 ms. */
    private static boolean heartbeatArrives(DatagramSocket peer) throws Exception {
        peer.setSoTimeout(500);
        try {
            peer.receive(new DatagramPacket(new byte[2048], 2048));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void leftoversAreRemovedBeforeTheFirstHeartbeat() throws Exception {
        LeftoverCleanupTest.Holdings h = new LeftoverCleanupTest.Holdings();
        h.addresses.add("192.0.2.100");
        h.primaries.add("r0");
        GroupLifecycleTest.Recording r = new GroupLifecycleTest.Recording();
        int peerPort = freePort();
        try (DatagramSocket peer = new DatagramSocket(peerPort, InetAddress.getLoopbackAddress());
             ClusterNode s1 = node(r, freePort(), peerPort)) {
            assertThat(s1.start(h)).isTrue();
            assertThat(r.calls).startsWith("down 192.0.2.100", "demote r0");
            assertThat(heartbeatArrives(peer)).isTrue();
        }
    }

    @Test
    void aDemoteRefusedKeepsTheNodeSilentAndSaysSoWithTheFix() throws Exception {
        LeftoverCleanupTest.Holdings h = new LeftoverCleanupTest.Holdings();
        h.primaries.add("r0");
        GroupLifecycleTest.Recording r = new GroupLifecycleTest.Recording();
        r.failing.add("demote r0");
        int peerPort = freePort();
        try (CapturedLog log = new CapturedLog();
             DatagramSocket peer = new DatagramSocket(peerPort, InetAddress.getLoopbackAddress());
             ClusterNode s1 = node(r, freePort(), peerPort)) {
            assertThat(s1.start(h)).isFalse();
            assertThat(heartbeatArrives(peer)).as("no heartbeat: the peer must declare this node dead").isFalse();
            assertThat(r.calls).containsExactly("demote r0");
            assertThat(s1.status().selfState()).startsWith("OUT (group db: cannot remove DRBD r0 Primary");
            assertThat(s1.status().groups()).allMatch(g -> g.here().equals("OFFLINE"));
            assertThat(log.warnings()).contains("cluster: node s1 stays out of the cluster: group db: cannot remove DRBD"
                    + " r0 Primary left over from an earlier run of this node: demote r0 refused; sending no"
                    + " heartbeats, so that peer s2 declares this node dead and fences it (to join, remove the leftover"
                    + " by hand, e.g. close what holds the DRBD device and run 'drbdadm secondary RES' and 'ip addr del"
                    + " ADDRESS dev IFACE', then restart the daemon)");
            assertThatThrownBy(() -> s1.switchover("db").get()).hasMessageContaining("not in the cluster");
            s1.leave(1000); // a stop while out ends at once: nothing is held here
            assertThat(r.calls).containsExactly("demote r0");
        }
    }
}
