package org.tandem.ha.takeover;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.ha.config.CapturedLog;
import org.tandem.ha.config.HeartbeatLink;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.HeartbeatPacket.GroupStatus;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.membership.Membership;
import org.tandem.ha.membership.MembershipEvent;
import org.tandem.ha.replication.ReplicatedRecords;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the node keeps of its peer: the groups it declined to the peer until the peer hands them back (a failback
 * after a switchover) or dies, the connections the peer had while it served, and whether it was fenced since it
 * was last alive, which lets the records waiting for it go.
 */
class PeerWatchTest {
    private static final TcpConnection INITIATOR = new TcpConnection(TcpConnection.address(new byte[] {(byte) 192, 0,
            2, 100}), 3260, TcpConnection.address(new byte[] {(byte) 192, 0, 2, 7}), 40_001);
    private static final List<HeartbeatLink> LINKS = List.of(new HeartbeatLink.Unicast("eth1", "10.0.0.2"));

    private final ScheduledExecutorService cluster = NodeExecutors.single("test-cluster", Thread.NORM_PRIORITY);
    private final ReplicatedRecords records = new ReplicatedRecords();
    private final FencingStep fencing = NodeTestSupport.fencingNone(cluster, cluster);

    @AfterEach
    void close() {
        cluster.shutdownNow();
    }

    private PeerWatch watch(boolean fencingConfigured) {
        return new PeerWatch("s2", fencingConfigured, fencing, records, () -> LINKS);
    }

    private static HeartbeatPacket packet(Map<String, GroupStatus> groups, List<TcpConnection> connections) {
        return new HeartbeatPacket("s2", 1, 1, NodeState.ACTIVE, PingStatus.NONE_CONFIGURED, groups, connections);
    }

    private static HeartbeatPacket packet(Map<String, GroupStatus> groups) {
        return packet(groups, List.of());
    }

    @Test
    void aGroupDeclinedHereIsHandedBackWhenThePeerDeclinesItInTurn() {
        PeerWatch w = watch(true);
        w.decline("db");
        w.newPacket(packet(Map.of("db", GroupStatus.STARTING)));
        w.newPacket(packet(Map.of("db", GroupStatus.SERVING)));
        assertThat(w.declined()).containsExactly("db");

        try (CapturedLog log = new CapturedLog()) {
            w.newPacket(packet(Map.of()));
            w.newPacket(packet(Map.of("db", GroupStatus.DECLINED)));
            assertThat(log.lines()).contains("INFO cluster: peer s2 hands group db back");
        }
        assertThat(w.declined()).isEmpty();
    }

    @Test
    void aDeclineThePeerAlreadyShowedDoesNotCancelOurs() {
        PeerWatch w = watch(true);
        w.newPacket(packet(Map.of("db", GroupStatus.DECLINED)));
        w.decline("db");
        w.newPacket(packet(Map.of("db", GroupStatus.DECLINED)));

        assertThat(w.declined()).as("otherwise both would clear and the group bounce back").containsExactly("db");
    }

    @Test
    void theConnectionsToTickleAreTheOnesThePeerHadWhileItServed() {
        PeerWatch w = watch(true);
        assertThat(w.connections()).isEmpty();
        w.newPacket(packet(Map.of("db", GroupStatus.SERVING), List.of(INITIATOR)));
        w.newPacket(packet(Map.of("db", GroupStatus.RELEASING), List.of()));
        w.newPacket(packet(Map.of(), List.of()));

        assertThat(w.connections()).as("its packets after the release list none").containsExactly(INITIATOR);
    }

    @Test
    void aDeadPeerForgetsTheDeclinesAndWithoutFencingIsTakenToBeGone() {
        PeerWatch w = watch(false);
        CompletableFuture<Void> copied = records.publish("pr t 0", new byte[] {1});
        w.decline("db");
        w.newPacket(packet(Map.of("db", GroupStatus.SERVING)));

        try (CapturedLog log = new CapturedLog()) {
            w.handle(List.of(new MembershipEvent.PeerDead(3_000, false)));
            assertThat(log.warnings()).containsExactly(
                    "cluster: peer s2 dead: silent on every link (3000 ms without a valid heartbeat)");
        }
        assertThat(w.declined()).isEmpty();
        assertThat(copied).as("nobody else can serve the LUN meanwhile").isCompleted();
        assertThat(w.gone(Membership.PeerStatus.DEAD)).isTrue();
        assertThat(w.gone(Membership.PeerStatus.ALIVE)).isFalse();
    }

    @Test
    void withFencingADeadPeerIsGoneOnlyOnceFencedAndUntilItIsAliveAgain() {
        PeerWatch w = watch(true);
        CompletableFuture<Void> copied = records.publish("pr t 0", new byte[] {1});
        w.handle(List.of(new MembershipEvent.PeerDead(3_000, true)));
        assertThat(copied).as("dead is not fenced").isNotDone();
        assertThat(w.fenced()).isFalse();
        assertThat(w.gone(Membership.PeerStatus.DEAD)).isFalse();

        w.fenceConfirmed(true);
        assertThat(w.fenced()).isTrue();
        assertThat(w.gone(Membership.PeerStatus.DEAD)).isTrue();
        assertThat(copied).isCompleted();

        w.handle(List.of(new MembershipEvent.PeerAlive(packet(Map.of()), true)));
        assertThat(w.fenced()).as("a peer that speaks again is not fenced").isFalse();
        w.fenceConfirmed(false);
        assertThat(w.fenced()).as("a fencing that ends after the peer returned does not count").isFalse();
    }

    @Test
    void linkEventsAreLoggedWithTheLinkAsHaCfNamesIt() {
        PeerWatch w = watch(true);
        try (CapturedLog log = new CapturedLog()) {
            w.handle(List.of(new MembershipEvent.LinkDown(0, 900), new MembershipEvent.PeerLate(700),
                    new MembershipEvent.LinkUp(0)));
            assertThat(log.lines()).containsSubsequence("WARN cluster: link ucast eth1 10.0.0.2 down (silent 900 ms)",
                    "WARN cluster: late heartbeat from s2 (700 ms)", "INFO cluster: link ucast eth1 10.0.0.2 up");
        }
    }
}
