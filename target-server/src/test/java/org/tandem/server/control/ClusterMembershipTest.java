package org.tandem.server.control;

import org.junit.jupiter.api.Test;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Without a cluster every change goes through and opens online; in one, what opens waits in standby for the
 * cluster, a grouped target's LUNs change only on both servers, and a reload must keep what the groups hold.
 */
class ClusterMembershipTest {
    private static final String GROUPED = "iqn.2026-11.org.tandem.test:ha";
    private static final String LOCAL = "iqn.2026-11.org.tandem.test:local";
    private static final Path CONF = Path.of("/etc/iet/ietd.conf");

    /** A node serving group ha (GROUPED); its switchover completes as {@code switchover} says. */
    private static ClusterControl node(CompletableFuture<Void> switchover) {
        return FakeCluster.of(List.of(new ClusterControl.Group("ha", List.of(GROUPED))), switchover);
    }

    private static ControlException.Kind kind(Throwable e) {
        return ((ControlException) e).kind();
    }

    @Test
    void withoutAClusterNothingIsRefusedAndWhatOpensServesAtOnce() throws Exception {
        ClusterMembership none = new ClusterMembership();
        assertThat(none.opensInStandby()).isFalse();
        none.refuseIfGrouped(GROUPED, "adding a LUN");
        assertThat(none.droppedGroupedTarget(IetdConfParser.parse(CONF, ""))).isNull();
        assertThatThrownBy(none::status).hasMessage("this daemon runs without a cluster (start it with --ha DIR)")
                .extracting(ClusterMembershipTest::kind).isEqualTo(ControlException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> none.switchover("ha")).extracting(ClusterMembershipTest::kind)
                .isEqualTo(ControlException.Kind.NOT_FOUND);
    }

    @Test
    void inAClusterWhatOpensWaitsInStandbyUntilTheClusterBringsItOnline() {
        ClusterMembership member = new ClusterMembership();
        AtomicInteger broughtOnline = new AtomicInteger();
        member.join(node(CompletableFuture.completedFuture(null)), broughtOnline::incrementAndGet);
        assertThat(member.opensInStandby()).isTrue();
        member.lunsAdded();
        assertThat(broughtOnline).hasValue(1);
    }

    @Test
    void aGroupedTargetsLunsChangeOnBothServersOrNotAtAll() throws Exception {
        ClusterMembership member = new ClusterMembership();
        member.join(node(CompletableFuture.completedFuture(null)), () -> { });
        member.refuseIfGrouped(LOCAL, "adding a LUN");
        assertThatThrownBy(() -> member.refuseIfGrouped(GROUPED.toUpperCase(), "adding a LUN"))
                .hasMessage("target " + GROUPED.toUpperCase() + " belongs to cluster group ha: adding a LUN on this"
                        + " server alone would leave the peer without it after a failover; edit ietd.conf on both"
                        + " servers and reload both (tandemctl reload on each)")
                .extracting(ClusterMembershipTest::kind).isEqualTo(ControlException.Kind.CONFLICT);
    }

    @Test
    void aSwitchoverRefusedByTheNodeSaysWhy() {
        ClusterMembership unknown = new ClusterMembership();
        unknown.join(node(CompletableFuture.failedFuture(new IllegalArgumentException("no group db"))), () -> { });
        assertThatThrownBy(() -> unknown.switchover("db")).hasMessage("no group db")
                .extracting(ClusterMembershipTest::kind).isEqualTo(ControlException.Kind.NOT_FOUND);

        ClusterMembership refused = new ClusterMembership();
        refused.join(node(CompletableFuture.failedFuture(new IllegalStateException("the peer is down"))), () -> { });
        assertThatThrownBy(() -> refused.switchover("ha")).hasMessage("the peer is down")
                .extracting(ClusterMembershipTest::kind).isEqualTo(ControlException.Kind.CONFLICT);
    }

    @Test
    void aReloadMustKeepTheTargetsTheGroupsHoldAndWriteThemThrough() throws Exception {
        ClusterMembership member = new ClusterMembership();
        member.join(node(CompletableFuture.completedFuture(null)), () -> { });
        TandemConfig dropsGrouped = IetdConfParser.parse(CONF, "Target " + LOCAL + "\n Lun 0 Type=nullio\n");
        assertThat(member.droppedGroupedTarget(dropsGrouped)).startsWith(CONF + " no longer defines target "
                + GROUPED + ", which cluster group ha holds (haresources)");

        TandemConfig writeBack = IetdConfParser.parse(CONF, "Target " + GROUPED
                + "\n Lun 0 Path=/srv/ha.img,IOMode=wb\n");
        assertThat(member.droppedGroupedTarget(writeBack)).isNull();
        assertThat(member.writeBackOnGroupedLun(writeBack)).contains("LUN 0 belongs to cluster group ha and has"
                + " IOMode=wb");
    }
}
