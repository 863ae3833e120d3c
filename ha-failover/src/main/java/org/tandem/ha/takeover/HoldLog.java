package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership;

import java.util.Map;

/**
 * The planner's holds (groups it keeps OFFLINE here, with why) as the log tells them: once when a hold begins or its
 * reason changes, and once when it ends, however often the planner says so meanwhile (it decides at every tick).
 * Used on the cluster thread only.
 */
final class HoldLog {
    /** The node's logger: these lines were the node's and read as such. */
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);

    private final PingMonitor ping;
    /** Groups the planner holds offline, with why, as last logged. */
    private Map<String, String> held = Map.of();

    HoldLog(PingMonitor ping) {
        this.ping = ping;
    }

    /**
     * One decision's holds, group to reason, replacing the last decision's; {@code peer} and {@code node} (this
     * node's state) go into the line that says a hold ended.
     */
    void holds(Map<String, String> holds, Membership.PeerStatus peer, NodeState node) {
        holds.forEach((group, reason) -> {
            if (!reason.equals(held.get(group))) {
                LOG.warn("cluster: group {} stays OFFLINE: {} (ping nodes {})", group, reason, ping.nodes());
            }
        });
        held.keySet().stream().filter(g -> !holds.containsKey(g)).forEach(g -> LOG.info("cluster: group {} no"
                + " longer held back (ping {}, peer {}, node {})", g, ping.status(), peer, node));
        held = holds;
    }
}
