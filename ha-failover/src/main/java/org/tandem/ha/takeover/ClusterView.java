package org.tandem.ha.takeover;

import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the planner decides from, at one moment: this node's state and ping status, the peer as membership
 * sees it with its newest packet, whether the peer has been fenced since it was last alive, and this node's part
 * in each group (with the groups it declines after a switchover).
 */
public record ClusterView(String self, NodeState selfState, HeartbeatPacket.PingStatus selfPing,
                          Membership.PeerStatus peerStatus, HeartbeatPacket peerPacket, boolean peerFenced,
                          boolean fencing, Map<String, GroupState> groups, Set<String> declined,
                          List<ResourceGroup> config, boolean autoFailback) {

    boolean peerAlive() {
        return peerStatus == Membership.PeerStatus.ALIVE || peerStatus == Membership.PeerStatus.LATE;
    }

    HeartbeatPacket.GroupStatus peerGroup(String group) {
        return peerPacket == null ? null : peerPacket.groups().get(group);
    }

    NodeState peerState() {
        return peerPacket == null ? null : peerPacket.state();
    }

    HeartbeatPacket.PingStatus peerPing() {
        return peerPacket == null ? HeartbeatPacket.PingStatus.NONE_CONFIGURED : peerPacket.ping();
    }
}
