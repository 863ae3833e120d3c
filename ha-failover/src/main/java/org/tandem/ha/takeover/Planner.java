package org.tandem.ha.takeover;

import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides, from a {@link ClusterView}, what this node should do now. A pure function: the same view always gives
 * the same actions, and both nodes reach complementary answers from what their heartbeats tell each other.
 * <ul>
 * <li>While the peer is alive, a group is started only if the peer says it does not hold it, and only by its
 * chooser: the preferred node, unless that node declines it (switchover), is leaving, or has lost its ping nodes
 * while the other has not. If both hold a group, the node that is not preferred releases it.</li>
 * <li>A served group is handed back when this node declines it, when auto_failback is on and its preferred node
 * (the peer) is active, or when this node lost its ping nodes and the peer has not (ipfail).</li>
 * <li>When the peer is dead it is fenced, even if this node already serves every group: a peer that only looks
 * dead (heartbeat links cut) would otherwise take them too. Its groups are taken over only after it has been
 * fenced, and never by a node that has lost its own ping nodes as well (it may be the one cut off). With a
 * fence_delay on one node, in a split brain the other fences first and survives.</li>
 * <li>A leaving node releases everything; a starting node (within initdead) does nothing.</li>
 * </ul>
 */
public final class Planner {
    private Planner() {
    }

    public static List<Action> plan(ClusterView v) {
        List<Action> actions = new ArrayList<>();
        if (v.selfState() == NodeState.STARTING) {
            return actions;
        }
        if (v.selfState() == NodeState.LEAVING) {
            for (ResourceGroup g : v.config()) {
                if (state(v, g) == GroupState.SERVING) {
                    actions.add(new Action.Release(g.name(), "this node is leaving"));
                }
            }
            return actions;
        }
        boolean peerDead = v.peerStatus() == Membership.PeerStatus.DEAD;
        boolean fenceNeeded = peerDead && !v.peerFenced() && v.selfPing() != PingStatus.UNREACHABLE;
        for (ResourceGroup g : v.config()) {
            GroupState mine = state(v, g);
            if (v.peerAlive()) {
                HeartbeatPacket.GroupStatus theirs = v.peerGroup(g.name());
                boolean peerHolds = theirs != null && theirs.holds();
                if (mine == GroupState.SERVING || mine == GroupState.STARTING) {
                    if (peerHolds && !g.preferredNode().equals(v.self())) {
                        actions.add(new Action.Release(g.name(), "both nodes hold it; " + g.preferredNode()
                                + " is preferred"));
                    } else if (mine == GroupState.SERVING && !peerHolds) {
                        String why = handBack(v, g);
                        if (why != null) {
                            actions.add(new Action.Release(g.name(), why));
                        }
                    }
                } else if (mine == GroupState.OFFLINE && !peerHolds && chooser(v, g).equals(v.self())
                        && !v.declined().contains(g.name())) {
                    actions.add(new Action.Start(g.name(), theirs == HeartbeatPacket.GroupStatus.DECLINED
                            ? "the peer hands it over" : "free, and this node is its choice"));
                }
            } else if (v.peerStatus() == Membership.PeerStatus.DEAD
                    && mine == GroupState.OFFLINE) {
                // Peer and ping nodes both gone: this node may be the one cut off, so it takes nothing.
                if (v.selfPing() == PingStatus.UNREACHABLE) {
                    actions.add(new Action.Hold(g.name(), "the peer is dead and this node reaches none of its ping"
                            + " nodes, so it may be the one cut off; it takes the group when a ping node answers"
                            + " (or the peer returns)"));
                } else if (v.peerFenced()) {
                    actions.add(new Action.Start(g.name(), "the peer is dead and fenced"));
                }
            }
        }
        if (fenceNeeded && !v.fencing()) {
            actions.add(0, new Action.FencePeer("the peer is dead"));
        }
        return actions;
    }

    private static GroupState state(ClusterView v, ResourceGroup g) {
        return v.groups().getOrDefault(g.name(), GroupState.OFFLINE);
    }

    /** Which node should serve a free group while both live. */
    static String chooser(ClusterView v, ResourceGroup g) {
        String preferred = g.preferredNode();
        boolean selfPreferred = preferred.equals(v.self());
        String other = selfPreferred ? peerName(v) : v.self();
        HeartbeatPacket.GroupStatus peerSays = v.peerGroup(g.name());
        boolean preferredDeclines = selfPreferred ? v.declined().contains(g.name())
                : peerSays == HeartbeatPacket.GroupStatus.DECLINED;
        boolean otherDeclines = selfPreferred ? peerSays == HeartbeatPacket.GroupStatus.DECLINED
                : v.declined().contains(g.name());
        NodeState preferredState = selfPreferred ? v.selfState() : v.peerState();
        PingStatus preferredPing = selfPreferred ? v.selfPing() : v.peerPing();
        PingStatus otherPing = selfPreferred ? v.peerPing() : v.selfPing();
        if (otherDeclines) {
            return preferred;
        }
        // A preferred node still starting is waited for (it turns active as soon as it hears us); one leaving is not.
        if (preferredDeclines || preferredState == NodeState.LEAVING
                || (preferredPing == PingStatus.UNREACHABLE && otherPing == PingStatus.REACHABLE)) {
            return other;
        }
        return preferred;
    }

    /** Why a group this node serves should go to the alive peer, or null. */
    private static String handBack(ClusterView v, ResourceGroup g) {
        if (v.declined().contains(g.name())) {
            return "switchover to the peer";
        }
        if (v.peerState() != NodeState.ACTIVE) {
            return null;
        }
        if (v.selfPing() == PingStatus.UNREACHABLE && v.peerPing() == PingStatus.REACHABLE) {
            return "this node lost its ping nodes and the peer has them";
        }
        if (v.autoFailback() && !g.preferredNode().equals(v.self()) && v.peerPing() != PingStatus.UNREACHABLE
                && v.peerGroup(g.name()) != HeartbeatPacket.GroupStatus.DECLINED) {
            return "auto_failback to its preferred node";
        }
        return null;
    }

    private static String peerName(ClusterView v) {
        return v.peerPacket() != null ? v.peerPacket().node() : "peer";
    }
}
