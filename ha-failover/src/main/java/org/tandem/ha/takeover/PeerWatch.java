package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.HeartbeatLink;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.membership.Membership;
import org.tandem.ha.membership.MembershipEvent;
import org.tandem.ha.replication.ReplicatedRecords;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the node keeps of its peer beyond membership's liveness: whether the peer has been fenced since it was last
 * alive, the groups this node declined to it (a switchover) until it hands them back, and the initiators'
 * connections it had while it served (the ones to tickle after a takeover). Fed by the peer's new packets and by
 * membership's events, which it logs. Used on the cluster thread only.
 */
final class PeerWatch {
    /** The node's logger: these lines were the node's and read as such. */
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);

    private final String peer;
    private final boolean fencingConfigured;
    private final FencingStep fencing;
    private final ReplicatedRecords records;
    private final Supplier<List<HeartbeatLink>> links;
    private final Set<String> declined = new HashSet<>();
    /** The peer's group statuses in its newest packet, to see a group become DECLINED there. */
    private Map<String, HeartbeatPacket.GroupStatus> peerGroups = Map.of();
    private List<TcpConnection> connections = List.of();
    private boolean fenced;

    /**
     * @param fencingConfigured whether ha.cf names a fencing command; with none, a dead peer is taken to be gone
     * @param links             the heartbeat links, by the numbers membership's link events carry
     */
    PeerWatch(String peer, boolean fencingConfigured, FencingStep fencing, ReplicatedRecords records,
              Supplier<List<HeartbeatLink>> links) {
        this.peer = peer;
        this.fencingConfigured = fencingConfigured;
        this.fencing = fencing;
        this.records = records;
        this.links = links;
    }

    /** Whether the peer has been fenced since it was last alive. */
    boolean fenced() {
        return fenced;
    }

    /**
     * Whether the peer can hold nothing now, as membership sees it ({@code status}): fenced, or dead with no fencing
     * configured (the operator's choice: dead is then taken to be gone).
     */
    boolean gone(Membership.PeerStatus status) {
        return fenced || (!fencingConfigured && status == Membership.PeerStatus.DEAD);
    }

    /** The groups this node declines, to the peer; a read-only view. */
    Set<String> declined() {
        return Collections.unmodifiableSet(declined);
    }

    /** The initiators' connections the peer had when it last served a group. */
    List<TcpConnection> connections() {
        return connections;
    }

    /** A switchover: the group is declined here until the peer hands it back or dies. */
    void decline(String group) {
        declined.add(group);
    }

    /** The fencing command confirmed the peer's power off; it counts as fenced only if the peer is still dead. */
    void fenceConfirmed(boolean peerDead) {
        fenced = peerDead;
        if (fenced) {
            records.peerGone();
        }
    }

    /** A new packet from the peer (not a copy from another link). */
    void newPacket(HeartbeatPacket packet) {
        // The peer has just declined a group we declined: it hands it back (a failback after a switchover).
        // Only the change counts: our own decline is older than the peer's, and a decline the peer already
        // showed when we declined must not cancel ours, or both would clear and the group would bounce back.
        Map<String, HeartbeatPacket.GroupStatus> before = peerGroups;
        peerGroups = packet.groups();
        peerGroups.forEach((g, st) -> {
            if (st == HeartbeatPacket.GroupStatus.DECLINED && before.get(g) != HeartbeatPacket.GroupStatus.DECLINED
                    && declined.remove(g)) {
                LOG.info("cluster: peer {} hands group {} back", peer, g);
            }
        });
        // Keep the connections the peer had while it served: its last packets after a release list none, but
        // those are the ones to tickle once we take the address.
        if (packet.groups().values().stream().anyMatch(st -> st == HeartbeatPacket.GroupStatus.SERVING)) {
            connections = packet.connections();
        }
    }

    /** Logs membership's events, and forgets what a peer that comes back or dies no longer holds. */
    void handle(List<MembershipEvent> events) {
        for (MembershipEvent e : events) {
            if (e instanceof MembershipEvent.LinkUp u) {
                LOG.info("cluster: link {} up", links.get().get(u.link()));
            } else if (e instanceof MembershipEvent.LinkDown d) {
                LOG.warn("cluster: link {} down (silent {} ms)", links.get().get(d.link()), d.silentMillis());
            } else if (e instanceof MembershipEvent.PeerLate l) {
                LOG.warn("cluster: late heartbeat from {} ({} ms)", peer, l.silentMillis());
            } else if (e instanceof MembershipEvent.PeerAlive a) {
                fenced = false;
                fencing.peerAlive(); // a peer that speaks again is not fenced; a later death starts afresh
                records.peerRestarted();
                LOG.info("cluster: peer {} alive{} ({}, groups {})", peer, a.restarted() ? " (restarted)" : "",
                        a.packet().state(), a.packet().groups());
            } else if (e instanceof MembershipEvent.PeerDead d) {
                declined.clear();
                peerGroups = Map.of();
                if (!fencingConfigured) {
                    records.peerGone(); // the operator chose no fencing: dead is taken to be gone
                }
                LOG.error("cluster: peer {} dead: {} ({} ms without a valid heartbeat)", peer,
                        d.neverSeen() ? "never heard since start" : "silent on every link", d.silentMillis());
            }
        }
    }
}
