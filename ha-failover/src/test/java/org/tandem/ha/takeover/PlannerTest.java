package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.HeartbeatPacket.GroupStatus;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership.PeerStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Two nodes, db preferred on s1 and web on s2: who starts, hands back, fences and takes over, in each case. */
class PlannerTest {
    private static final List<ResourceGroup> GROUPS = List.of(
            new ResourceGroup("db", "s1", List.of("r0"), List.of("iqn.2026-11.x:db"), List.of()),
            new ResourceGroup("web", "s2", List.of("r1"), List.of("iqn.2026-11.x:web"), List.of()));

    /** A view builder with sensible defaults: both active, pings fine, nothing held. */
    private static final class View {
        String self = "s1";
        NodeState selfState = NodeState.ACTIVE;
        PingStatus selfPing = PingStatus.REACHABLE;
        PeerStatus peer = PeerStatus.ALIVE;
        NodeState peerState = NodeState.ACTIVE;
        PingStatus peerPing = PingStatus.REACHABLE;
        Map<String, GroupStatus> peerGroups = new HashMap<>();
        boolean fenced;
        boolean fencing;
        Map<String, GroupState> mine = new HashMap<>();
        Set<String> declined = Set.of();
        boolean autoFailback = true;

        View self(String s) {
            self = s;
            return this;
        }

        List<Action> plan() {
            HeartbeatPacket packet = new HeartbeatPacket(self.equals("s1") ? "s2" : "s1", 1, 1, peerState, peerPing,
                    peerGroups);
            return Planner.plan(new ClusterView(self, selfState, selfPing, peer, packet, fenced, fencing, mine,
                    declined, GROUPS, autoFailback));
        }
    }

    @Test
    void atBootEachNodeStartsTheGroupItIsPreferredFor() {
        assertThat(new View().plan()).containsExactly(new Action.Start("db", "free, and this node is its choice"));
        assertThat(new View().self("s2").plan()).containsExactly(new Action.Start("web",
                "free, and this node is its choice"));
        View starting = new View();
        starting.selfState = NodeState.STARTING;
        assertThat(starting.plan()).as("within initdead nothing starts").isEmpty();
        View peerStarting = new View().self("s2");
        peerStarting.peerState = NodeState.STARTING;
        assertThat(peerStarting.plan()).as("s1 still starting: s2 waits for it rather than take db")
                .containsExactly(new Action.Start("web", "free, and this node is its choice"));
    }

    @Test
    void aDeadPeerIsFencedBeforeItsGroupsAreTakenOver() {
        View v = new View();
        v.peer = PeerStatus.DEAD;
        v.mine.put("db", GroupState.SERVING);
        assertThat(v.plan()).containsExactly(new Action.FencePeer("the peer is dead"));
        v.fencing = true;
        assertThat(v.plan()).as("fencing under way: nothing more").isEmpty();
        v.fencing = false;
        v.fenced = true;
        assertThat(v.plan()).containsExactly(new Action.Start("web", "the peer is dead and fenced"));
        View holdsAll = new View();
        holdsAll.peer = PeerStatus.DEAD;
        holdsAll.mine.put("db", GroupState.SERVING);
        holdsAll.mine.put("web", GroupState.SERVING);
        assertThat(holdsAll.plan()).as("a peer that only looks dead could take them: fence it anyway")
                .containsExactly(new Action.FencePeer("the peer is dead"));
    }

    /** It holds its offline groups back, saying why (the controller logs that once), and fences nobody. */
    @Test
    void aNodeThatLostPeerAndPingNodesTakesNothing() {
        View v = new View();
        v.peer = PeerStatus.DEAD;
        v.selfPing = PingStatus.UNREACHABLE;
        String why = "the peer is dead and this node reaches none of its ping nodes, so it may be the one cut off;"
                + " it takes the group when a ping node answers (or the peer returns)";
        assertThat(v.plan()).containsExactly(new Action.Hold("db", why), new Action.Hold("web", why));
        v.fenced = true;
        v.mine.put("db", GroupState.SERVING);
        assertThat(v.plan()).as("what it serves it keeps").containsExactly(new Action.Hold("web", why));
    }

    @Test
    void aLatePeerIsStillAliveAndIsNotFenced() {
        View v = new View();
        v.peer = PeerStatus.LATE;
        v.peerGroups.put("web", GroupStatus.SERVING);
        v.mine.put("db", GroupState.SERVING);
        assertThat(v.plan()).isEmpty();
    }

    @Test
    void whenBothHoldAGroupTheNodeNotPreferredReleasesIt() {
        View s2 = new View().self("s2");
        s2.mine.put("db", GroupState.SERVING);
        s2.peerGroups.put("db", GroupStatus.SERVING);
        s2.mine.put("web", GroupState.SERVING);
        assertThat(s2.plan()).containsExactly(new Action.Release("db", "both nodes hold it; s1 is preferred"));
        View s1 = new View();
        s1.mine.put("db", GroupState.SERVING);
        s1.peerGroups.put("db", GroupStatus.SERVING);
        assertThat(s1.plan()).isEmpty();
    }

    @Test
    void switchoverHandsAGroupToThePeerWhichTakesItFromTheDeclineOnly() {
        View s1 = new View();
        s1.mine.put("db", GroupState.SERVING);
        s1.declined = Set.of("db");
        assertThat(s1.plan()).containsExactly(new Action.Release("db", "switchover to the peer"));
        s1.mine.put("db", GroupState.OFFLINE);
        assertThat(s1.plan()).as("declined: not started again while the peer lives").isEmpty();
        View s2 = new View().self("s2");
        s2.mine.put("web", GroupState.SERVING);
        s2.peerGroups.put("db", GroupStatus.RELEASING);
        assertThat(s2.plan()).as("not while s1 still releases").isEmpty();
        s2.peerGroups.put("db", GroupStatus.DECLINED);
        assertThat(s2.plan()).containsExactly(new Action.Start("db", "the peer hands it over"));
        s2.mine.put("db", GroupState.SERVING);
        assertThat(s2.plan()).as("no failback of a declined group").isEmpty();
    }

    @Test
    void autoFailbackReturnsAGroupToItsPreferredNodeOnlyWhenOn() {
        View s2 = new View().self("s2");
        s2.mine.put("db", GroupState.SERVING);
        s2.mine.put("web", GroupState.SERVING);
        assertThat(s2.plan()).containsExactly(new Action.Release("db", "auto_failback to its preferred node"));
        s2.autoFailback = false;
        assertThat(s2.plan()).isEmpty();
        View s1 = new View();
        s1.autoFailback = false;
        s1.peerGroups.put("db", GroupStatus.SERVING);
        assertThat(s1.plan()).as("s1 back, s2 keeps db").isEmpty();
    }

    @Test
    void aNodeThatLostItsPingNodesHandsItsGroupsToAPeerThatHasThem() {
        View s1 = new View();
        s1.selfPing = PingStatus.UNREACHABLE;
        s1.mine.put("db", GroupState.SERVING);
        assertThat(s1.plan()).containsExactly(new Action.Release("db",
                "this node lost its ping nodes and the peer has them"));
        s1.mine.put("db", GroupState.OFFLINE);
        assertThat(s1.plan()).isEmpty();
        View s2 = new View().self("s2");
        s2.peerPing = PingStatus.UNREACHABLE;
        s2.mine.put("web", GroupState.SERVING);
        assertThat(s2.plan()).containsExactly(new Action.Start("db", "free, and this node is its choice"));
    }

    @Test
    void aLeavingNodeReleasesEverythingItServes() {
        View v = new View();
        v.selfState = NodeState.LEAVING;
        v.mine.put("db", GroupState.SERVING);
        v.mine.put("web", GroupState.SERVING);
        assertThat(v.plan()).containsExactly(new Action.Release("db", "this node is leaving"),
                new Action.Release("web", "this node is leaving"));
        View s2 = new View().self("s2");
        s2.peerState = NodeState.LEAVING;
        s2.peerGroups.put("db", GroupStatus.RELEASING);
        s2.mine.put("web", GroupState.SERVING);
        assertThat(s2.plan()).isEmpty();
        s2.peerGroups.remove("db");
        assertThat(s2.plan()).containsExactly(new Action.Start("db", "free, and this node is its choice"));
    }
}
