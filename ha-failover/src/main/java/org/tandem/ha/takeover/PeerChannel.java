package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HeartbeatLink;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.HeartbeatTransport;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.heartbeat.PacketCodec;
import org.tandem.ha.heartbeat.ReplayGuard;
import org.tandem.ha.heartbeat.TcpConnection;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The node's side of the heartbeat links: signed packets decoded and checked against replays (a packet is believed
 * only from a link's peer), drops counted, the acknowledgements of the peer's records queued for the next packet,
 * and each packet assembled and sent on every link. Used on the cluster thread only.
 */
final class PeerChannel {
    /** The node's logger: these lines were the node's and read as such. */
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);
    /** Acknowledgements are small (a key and a version); 32 per packet keeps within MAX_PACKET, the rest follow. */
    private static final int ACKS_PER_PACKET = 32;

    /** A packet that passed every check, and whether it is new or a copy that came on another link. */
    record Received(HeartbeatPacket packet, ReplayGuard.Verdict verdict) {
    }

    private final String self;
    private final long generation;
    private final PacketCodec codec;
    private final ReplayGuard guard;
    private final List<ResourceGroup> groups;
    private final Supplier<List<TcpConnection>> localConnections;
    private final Map<PacketCodec.Drop, Long> drops = new EnumMap<>(PacketCodec.Drop.class);
    private final List<HeartbeatPacket.StateAck> acksToSend = new ArrayList<>();
    private HeartbeatTransport transport;
    private List<HeartbeatLink> links = List.of();
    private long sequence;

    /**
     * @param self             this node's name as its packets carry it
     * @param generation       this run's, for the peer's replay guard
     * @param localConnections the initiators' connections to this node now (those to the floating portals of
     *                         groups served here go to the peer, for its tickle after a takeover)
     */
    PeerChannel(String self, long generation, AuthKeys keys, ReplayGuard guard, List<ResourceGroup> groups,
                Supplier<List<TcpConnection>> localConnections) {
        this.self = self;
        this.generation = generation;
        this.codec = new PacketCodec(keys);
        this.guard = guard;
        this.groups = groups;
        this.localConnections = localConnections;
    }

    /** Opens the links; {@code receive} gets each datagram (link index, or -1 from no link's peer, and bytes). */
    void open(List<HeartbeatLink> configured, int localPort, int peerPort, BiConsumer<Integer, byte[]> receive)
            throws IOException {
        transport = new HeartbeatTransport(configured, localPort, peerPort, receive);
        links = transport.links();
    }

    boolean opened() {
        return transport != null;
    }

    List<HeartbeatLink> links() {
        return links;
    }

    /** Decodes and checks a datagram; null when it is dropped (counted, and logged the 1st and every 100th time). */
    Received accept(int link, byte[] data) {
        PacketCodec.Decoded d = codec.decode(data, data.length);
        PacketCodec.Drop drop = d.drop();
        ReplayGuard.Result fresh = null;
        if (drop == null && link < 0) {
            // From an address that is no link's peer: checked and counted, never believed.
            drop = guard.peek(d.packet());
            if (drop == null) {
                drop = PacketCodec.Drop.FOREIGN_SOURCE;
            }
        } else if (drop == null) {
            fresh = guard.check(d.packet(), link);
            drop = fresh.drop();
        }
        if (drop != null) {
            if (drop != PacketCodec.Drop.OWN) {
                long n = drops.merge(drop, 1L, Long::sum);
                if (n == 1 || n % 100 == 0) {
                    LOG.warn("cluster: dropped heartbeat {} ({}); {} so far", link < 0 ? "from an unknown address"
                            : "on link " + links.get(link), drop, n);
                }
            }
            return null;
        }
        return new Received(d.packet(), fresh.verdict());
    }

    /** Packets dropped so far (not counting this node's own, heard back). */
    long dropped() {
        return drops.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Queues the acknowledgement of one of the peer's records for the next packet. */
    void acknowledge(HeartbeatPacket.StateAck ack) {
        acksToSend.add(ack);
    }

    /** Whether acknowledgements wait: the peer's command waits for them, so they should go now. */
    boolean acksPending() {
        return !acksToSend.isEmpty();
    }

    /**
     * Sends one packet on every link: this node's state, each group's state here as the peer must see it, the
     * initiators' connections to groups served here, the records not yet acknowledged, and up to 32 of the
     * acknowledgements waiting.
     */
    void send(NodeState state, HeartbeatPacket.PingStatus ping, Map<String, GroupState> here, Set<String> declined,
              List<HeartbeatPacket.StateRecord> records) {
        Map<String, HeartbeatPacket.GroupStatus> mine = new LinkedHashMap<>();
        here.forEach((name, s) -> {
            HeartbeatPacket.GroupStatus wire = switch (s) {
                case STARTING -> HeartbeatPacket.GroupStatus.STARTING;
                case SERVING, FAILED -> HeartbeatPacket.GroupStatus.SERVING;
                case RELEASING -> HeartbeatPacket.GroupStatus.RELEASING;
                case OFFLINE -> declined.contains(name) ? HeartbeatPacket.GroupStatus.DECLINED : null;
            };
            if (wire != null) {
                mine.put(name, wire);
            }
        });
        List<HeartbeatPacket.StateAck> acks = List.copyOf(acksToSend.subList(0, Math.min(ACKS_PER_PACKET,
                acksToSend.size())));
        acksToSend.subList(0, acks.size()).clear();
        transport.send(codec.encode(new HeartbeatPacket(self, generation, ++sequence, state, ping, mine,
                servedConnections(here), records, acks)));
    }

    /** The initiators' connections to floating addresses of groups served here. */
    private List<TcpConnection> servedConnections(Map<String, GroupState> here) {
        Set<String> addresses = new HashSet<>();
        for (ResourceGroup g : groups) {
            if (here.get(g.name()) == GroupState.SERVING) {
                g.addresses().forEach(a -> addresses.add(a.address()));
            }
        }
        if (addresses.isEmpty()) {
            return List.of();
        }
        List<TcpConnection> out = new ArrayList<>();
        for (TcpConnection c : localConnections.get()) {
            if (addresses.contains(TcpConnection.text(c.localAddress())) && out.size() < PacketCodec.MAX_CONNECTIONS) {
                out.add(c);
            }
        }
        return out;
    }

    void close() {
        if (transport != null) {
            transport.close();
        }
    }
}
