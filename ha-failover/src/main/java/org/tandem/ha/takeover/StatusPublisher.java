package org.tandem.ha.takeover;

import org.tandem.ha.config.HeartbeatLink;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.membership.Membership;

import java.util.ArrayList;
import java.util.List;

/**
 * The node's status as the admin endpoint and tandemctl show it: built on the cluster thread from what the node
 * decides on, read from any thread.
 */
final class StatusPublisher {
    private final String peer;
    private volatile ClusterStatus status;

    StatusPublisher(String peer) {
        this.peer = peer;
    }

    /** The newest status, or null before the node published one. */
    ClusterStatus status() {
        return status;
    }

    /**
     * The status of a node that stays out of the cluster ({@code refusal} says why): every group offline here, the
     * peer unknown.
     */
    void publishOut(String self, String refusal, HeartbeatPacket.PingStatus ping, List<ResourceGroup> groups) {
        List<ClusterStatus.GroupView> views = groups.stream().map(g -> new ClusterStatus.GroupView(g.name(),
                g.preferredNode(), GroupState.OFFLINE.name(), "-", g.targets())).toList();
        status = new ClusterStatus(self, "OUT (" + refusal + ")", ping.name(), peer, "UNKNOWN", "-", "-", List.of(),
                views, null, 0);
    }

    void publish(ClusterView view, Membership membership, List<HeartbeatLink> links, ClusterStatus.Takeover last,
                 long droppedPackets) {
        long now = System.nanoTime();
        HeartbeatPacket p = view.peerPacket();
        List<ClusterStatus.LinkStatus> linkStatus = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            linkStatus.add(new ClusterStatus.LinkStatus(links.get(i).toString(), membership.linkUp(i),
                    membership.linkSilenceMillis(i, now)));
        }
        boolean dead = view.peerStatus() == Membership.PeerStatus.DEAD;
        List<ClusterStatus.GroupView> views = new ArrayList<>();
        for (ResourceGroup g : view.config()) {
            HeartbeatPacket.GroupStatus theirs = p == null ? null : p.groups().get(g.name());
            String hereName = view.groups().get(g.name()).name() + (view.declined().contains(g.name()) ? " (declined)"
                    : "");
            // A dead peer's last word is history, not its state: say what is known.
            String onPeer = dead ? (view.peerFenced() ? "- (fenced)" : "- (dead)") : theirs == null ? "-"
                    : theirs.name();
            views.add(new ClusterStatus.GroupView(g.name(), g.preferredNode(), hereName, onPeer, g.targets()));
        }
        status = new ClusterStatus(view.self(), view.selfState().name(), view.selfPing().name(), peer,
                view.peerStatus().name(), p == null || dead ? "-" : p.state().name(),
                p == null || dead ? "-" : p.ping().name(), linkStatus, views, last, droppedPackets);
    }
}
