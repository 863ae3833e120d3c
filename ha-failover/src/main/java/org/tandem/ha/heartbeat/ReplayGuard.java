package org.tandem.ha.heartbeat;

import org.tandem.ha.config.NodeName;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Accepts a verified packet only if it is new: its (generation, sequence) above everything that link has carried
 * from its node, and not older than the node's newest packet on any link by more than {@link #WINDOW} (each
 * heartbeat goes out on every link with one sequence number, and a slower link may lag by a packet or two). A
 * generation rises when the sender's daemon restarts. So a captured packet sent again, on its own link or
 * another, is dropped however valid its signature. Packets of nodes not in the cluster, and our own (looped
 * back by broadcast or multicast), are dropped too.
 */
public final class ReplayGuard {
    /** How many sequence numbers a copy on a slower link may lag the newest. */
    static final long WINDOW = 2;

    private final String self;
    private final Set<String> peers;
    private final Map<String, long[]> newest = new HashMap<>();
    private final Map<String, long[]> newestOnLink = new HashMap<>();

    /** The outcome for one packet: new information about the peer, or only news that this link works. */
    public enum Verdict {
        NEW, LINK_COPY
    }

    /** A check's result: a verdict, or the reason for dropping. */
    public record Result(Verdict verdict, PacketCodec.Drop drop) {
    }

    public ReplayGuard(String self, Collection<String> nodes) {
        this.self = NodeName.of(self);
        this.peers = new HashSet<>(nodes.stream().map(NodeName::of).toList());
        this.peers.remove(this.self);
    }

    public synchronized Result check(HeartbeatPacket p, int link) {
        // Names compare without case, as ha.cf's do: a peer that sends its name as ha.cf spells it is still known.
        String node = NodeName.of(p.node());
        if (node.equals(self)) {
            return new Result(null, PacketCodec.Drop.OWN);
        }
        if (!peers.contains(node)) {
            return new Result(null, PacketCodec.Drop.FOREIGN_NODE);
        }
        long[] onLink = newestOnLink.get(node + "/" + link);
        if (onLink != null && !after(p, onLink[0], onLink[1])) {
            return new Result(null, PacketCodec.Drop.REPLAYED);
        }
        long[] all = newest.get(node);
        if (all != null && (p.generation() < all[0] || (p.generation() == all[0] && p.sequence() + WINDOW < all[1]))) {
            return new Result(null, PacketCodec.Drop.REPLAYED);
        }
        newestOnLink.put(node + "/" + link, new long[] {p.generation(), p.sequence()});
        if (all == null || after(p, all[0], all[1])) {
            newest.put(node, new long[] {p.generation(), p.sequence()});
            return new Result(Verdict.NEW, null);
        }
        return new Result(Verdict.LINK_COPY, null);
    }

    /** Why a packet would be dropped, without remembering it (for packets from unknown addresses); null if not. */
    public synchronized PacketCodec.Drop peek(HeartbeatPacket p) {
        String node = NodeName.of(p.node());
        if (node.equals(self)) {
            return PacketCodec.Drop.OWN;
        }
        if (!peers.contains(node)) {
            return PacketCodec.Drop.FOREIGN_NODE;
        }
        long[] all = newest.get(node);
        if (all != null && !after(p, all[0], all[1])) {
            return PacketCodec.Drop.REPLAYED;
        }
        return null;
    }

    private static boolean after(HeartbeatPacket p, long generation, long sequence) {
        return p.generation() > generation || (p.generation() == generation && p.sequence() > sequence);
    }
}
