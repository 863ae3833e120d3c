package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Checks the tie-breaker ping nodes (usually the gateway): reachable when any answers. Two failed rounds in a row
 * make it unreachable, so one lost echo does not move resources. ICMP echo needs root, which the daemon has.
 */
public class PingMonitor {
    private static final Logger LOG = LogManager.getLogger(PingMonitor.class);

    private final List<String> nodes;
    private final int timeoutMillis;
    private volatile PingStatus status;
    private int failures;

    public PingMonitor(List<String> nodes, int timeoutMillis) {
        this.nodes = List.copyOf(nodes);
        this.timeoutMillis = timeoutMillis;
        this.status = nodes.isEmpty() ? PingStatus.NONE_CONFIGURED : PingStatus.REACHABLE;
    }

    public PingStatus status() {
        return status;
    }

    /** The ping nodes checked. */
    public List<String> nodes() {
        return nodes;
    }

    /** One round: call periodically from a thread of its own (it blocks up to the timeout per node). */
    public void check() {
        if (nodes.isEmpty()) {
            return;
        }
        boolean any = false;
        for (String n : nodes) {
            if (reachable(n)) {
                any = true;
                break;
            }
        }
        failures = any ? 0 : failures + 1;
        PingStatus next = failures >= 2 ? PingStatus.UNREACHABLE : any ? PingStatus.REACHABLE : status;
        if (next != status) {
            LOG.warn("ping nodes {} now {}", nodes, next == PingStatus.REACHABLE ? "reachable" : "unreachable");
            status = next;
        }
    }

    protected boolean reachable(String node) {
        try {
            return InetAddress.getByName(node).isReachable(timeoutMillis);
        } catch (IOException e) {
            return false;
        }
    }
}
