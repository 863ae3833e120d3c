package org.tandem.ha.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * ha.cf, parsed: the two nodes (named as {@link NodeName} spells them), the heartbeat timings, the links, the tie-breaker ping nodes, fencing with its
 * per-node delay (so that in a split brain exactly one node fences first), and whether groups fail back.
 */
public record HaConfig(List<String> nodes, Duration keepalive, Duration warntime, Duration deadtime,
                       Duration initdead, int udpPort, List<HeartbeatLink> links, boolean autoFailback,
                       List<String> pingNodes, Fencing fencing, Map<String, Duration> fenceDelays) {

    public static final int DEFAULT_UDP_PORT = 694;

    /** The other node's name. */
    public String peerOf(String node) {
        return nodes.get(0).equals(NodeName.of(node)) ? nodes.get(1) : nodes.get(0);
    }

    /** How long {@code node} waits before fencing its peer (zero when not set). */
    public Duration fenceDelay(String node) {
        return fenceDelays.getOrDefault(NodeName.of(node), Duration.ZERO);
    }
}
