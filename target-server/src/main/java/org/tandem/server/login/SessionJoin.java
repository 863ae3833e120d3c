package org.tandem.server.login;

import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.server.negotiation.IscsiKey;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.SessionRegistry;

/**
 * A login with a TSIH adds a connection to that session (RFC 7143 sections 5.3.1 and 6.3, MC/S): the same
 * initiator port and session type, and fewer connections than the session's MaxConnections unless the CID is one in
 * use (then the new connection replaces that one: connection reinstatement). A login without a TSIH makes a new
 * session, within its target's MaxSessions.
 */
final class SessionJoin {
    private SessionJoin() {
    }

    /**
     * The session to join.
     *
     * @throws LoginFailure SESSION_DOES_NOT_EXIST, CANNOT_INCLUDE_IN_SESSION or TOO_MANY_CONNECTIONS
     */
    static Session join(SessionRegistry sessions, LoginRequest r, String initiatorName, boolean discovery)
            throws LoginFailure {
        Session s = sessions.byTsih(r.tsih());
        if (s == null || s.isid() != r.isid() || !s.initiatorName().equals(initiatorName)) {
            throw new LoginFailure(LoginStatus.SESSION_DOES_NOT_EXIST, "no session with TSIH " + r.tsih()
                    + " for this initiator port");
        }
        if (s.discovery() != discovery) {
            throw new LoginFailure(LoginStatus.CANNOT_INCLUDE_IN_SESSION, "SessionType differs from TSIH "
                    + r.tsih() + "'s");
        }
        if (!s.hasConnection(r.cid()) && s.connectionCount() >= s.parameters().maxConnections()) {
            throw new LoginFailure(LoginStatus.TOO_MANY_CONNECTIONS, "session " + s.describe() + " has its "
                    + s.parameters().maxConnections() + " connection(s)");
        }
        return s;
    }

    /**
     * A new session of {@code initiatorName}/{@code isid} fits under the target's MaxSessions (0: no limit); the session
     * it would reinstate does not count.
     *
     * @throws LoginFailure OUT_OF_RESOURCES when the target has MaxSessions sessions already
     */
    static void checkMaxSessions(SessionRegistry sessions, IscsiTarget target, String initiatorName, long isid)
            throws LoginFailure {
        int maxSessions = target.config().settings().number(IscsiKey.MAX_SESSIONS);
        if (maxSessions > 0 && sessions.countFor(target, initiatorName, isid) >= maxSessions) {
            throw new LoginFailure(LoginStatus.OUT_OF_RESOURCES, "MaxSessions " + maxSessions + " reached for "
                    + target.name());
        }
    }
}
