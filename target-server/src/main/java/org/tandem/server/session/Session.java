package org.tandem.server.session;

import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.stats.IoStatistics;
import org.tandem.server.negotiation.SessionParameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One iSCSI session: who (initiator name and ISID), where (target, null for discovery), its TSIH, the parameters
 * its leading login agreed, the command window its connections share, and those connections by CID (several
 * when MaxConnections > 1). Thread-safe: connections live on different event loops.
 */
public final class Session {
    private final String initiatorName;
    private final long isid;
    private final int tsih;
    private final IscsiTarget target;
    private final SessionParameters parameters;
    private final ItNexus nexus;
    private final CommandWindow window;
    private final Map<Integer, SessionConnection> connections = new ConcurrentHashMap<>();
    private final IoStatistics statistics = new IoStatistics();
    private final Instant loginTime = Instant.now();

    public Session(String initiatorName, long isid, int tsih, IscsiTarget target, SessionParameters parameters,
                   ItNexus nexus, CommandWindow window) {
        this.initiatorName = initiatorName;
        this.isid = isid;
        this.tsih = tsih;
        this.target = target;
        this.parameters = parameters;
        this.nexus = nexus;
        this.window = window;
    }

    public String initiatorName() {
        return initiatorName;
    }

    public long isid() {
        return isid;
    }

    public int tsih() {
        return tsih;
    }

    /** The target, or null for a discovery session. */
    public IscsiTarget target() {
        return target;
    }

    /** What the leading login agreed (session-wide keys; each connection has its own digests and lengths). */
    public SessionParameters parameters() {
        return parameters;
    }

    public ItNexus nexus() {
        return nexus;
    }

    public CommandWindow window() {
        return window;
    }

    /** Commands, bytes, errors and latency (arrival to response) of every connection of the session. */
    public IoStatistics statistics() {
        return statistics;
    }

    public Instant loginTime() {
        return loginTime;
    }

    /** The session's connections as they are now. */
    public List<ConnectionInfo> connectionInfo() {
        return connections().stream().map(SessionConnection::info).toList();
    }

    /**
     * Asks the initiator to log out (Async Message, AsyncEvent 1) on every connection and closes those still open
     * after {@code seconds}: the way to end a session that lets the initiator finish cleanly.
     */
    public void requestLogout(int seconds) {
        for (SessionConnection c : connections()) {
            c.requestLogout(seconds);
        }
    }

    /**
     * Announces on every connection that the target will drop the session's connections and that the initiator
     * may reconnect after {@code time2Wait} seconds (Async Message, AsyncEvent 3); nothing is closed here.
     */
    public void announceDrop(int time2Wait) {
        for (SessionConnection c : connections()) {
            c.announceDrop(time2Wait);
        }
    }

    public boolean discovery() {
        return target == null;
    }

    /** Adds a connection; returns the one it replaces (same CID: connection reinstatement), or null. */
    public SessionConnection addConnection(int cid, SessionConnection connection) {
        return connections.put(cid, connection);
    }

    /** Removes a connection; true when it was the session's last. */
    public synchronized boolean removeConnection(int cid, SessionConnection connection) {
        connections.remove(cid, connection);
        return connections.isEmpty();
    }

    public int connectionCount() {
        return connections.size();
    }

    public boolean hasConnection(int cid) {
        return connections.containsKey(cid);
    }

    /** The connection with this CID, or null. */
    public SessionConnection connection(int cid) {
        return connections.get(cid);
    }

    /** The session's connections as they are now. */
    public List<SessionConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    /**
     * The session's I_T nexus has ended (its last connection gone, or a reinstating login took the nexus over): the
     * target's logical units drop what the nexus held, such as its SPC-2 reservation (SPC-2 section 5.5.1).
     */
    public void nexusLost() {
        if (!discovery()) {
            for (LogicalUnit unit : target.units()) {
                unit.nexusLost(nexus);
            }
        }
    }

    /** Closes every connection of the session (reinstatement, target cold reset, shutdown). */
    public void close() {
        for (SessionConnection c : connections()) {
            c.closeConnection();
        }
    }

    /** The initiator port name of RFC 7143 section 4.4.1: name, ",i,0x", ISID in 12 hex digits. */
    public static String initiatorPortName(String initiatorName, long isid) {
        return initiatorName + ",i,0x" + String.format("%012x", isid);
    }

    public String describe() {
        return initiatorPortName(initiatorName, isid) + " TSIH " + tsih + (target == null ? " (discovery)"
                : " -> " + target.name());
    }
}
