package org.tandem.server.connection;

import io.netty.channel.ChannelFutureListener;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.server.session.Session;
import org.tandem.server.session.SessionConnection;
import org.tandem.server.session.TargetCatalog;

/**
 * Logout Requests (RFC 7143 sections 11.14 and 11.15): closing the session, this connection, or another connection
 * of the session (MC/S). Writes still waiting for data get none after a logout and end at once; commands already
 * executing finish and answer first, then the Logout Response goes and the connection closes (section 11.14.3).
 * Connection recovery needs ErrorRecoveryLevel 2, which Tandem never agrees to: it is answered as not supported.
 */
final class Logout {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);

    private final ConnectionContext connection;
    private final FullFeatureHandler self;
    private final TaskSet tasks;
    private final TargetCatalog catalog;
    private final int connectionId;
    private boolean loggingOut;

    Logout(ConnectionContext connection, FullFeatureHandler self, TaskSet tasks, TargetCatalog catalog,
           int connectionId) {
        this.connection = connection;
        this.self = self;
        this.tasks = tasks;
        this.catalog = catalog;
        this.connectionId = connectionId;
    }

    /** Whether this connection is closing by a logout (its end is then no lost connection). */
    boolean loggingOut() {
        return loggingOut;
    }

    void logout(LogoutRequest l) {
        Session session = connection.session();
        boolean closeSession = l.reasonCode() == LogoutRequest.CLOSE_SESSION;
        // Looked up once: the connection named may end on its own loop at any moment, and a second lookup would
        // then find nothing to close.
        SessionConnection named = closeSession ? null : session.connection(l.cid());
        int response;
        if (l.reasonCode() == LogoutRequest.REMOVE_CONNECTION_FOR_RECOVERY) {
            response = LogoutResponse.RECOVERY_NOT_SUPPORTED;
        } else if (!closeSession && named == null) {
            response = LogoutResponse.CID_NOT_FOUND;
        } else {
            response = LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY;
        }
        if (response != LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY) {
            connection.ctx().writeAndFlush(new LogoutResponse(response, l.initiatorTaskTag(),
                    connection.nextStatSn(), connection.window().expCmdSn(), connection.window().maxCmdSn(), 0, 0));
            return;
        }
        if (!closeSession && l.cid() != connectionId) {
            // Closing another connection of this session from here (section 11.14.1).
            LOG.log(catalog.sessionLogLevel(), "logout: {} CID {} (asked on CID {})", session.describe(), l.cid(),
                    connectionId);
            named.closeConnection();
            connection.ctx().writeAndFlush(answer(l, response));
            return;
        }
        loggingOut = true;
        if (closeSession) {
            catalog.sessions().remove(session);
            for (SessionConnection other : session.connections()) {
                if (other != self) {
                    other.closeConnection();
                }
            }
        }
        tasks.abandonWaiting();
        tasks.running().whenCompleteAsync((v, e) -> {
            LOG.log(catalog.sessionLogLevel(), "logout: {}{}", session.describe(),
                    session.parameters().maxConnections() > 1
                            ? " CID " + connectionId + (closeSession ? " (whole session)" : "") : "");
            connection.ctx().writeAndFlush(answer(l, response)).addListener(ChannelFutureListener.CLOSE);
        }, connection.ctx().executor());
    }

    /** A successful Logout Response, with Time2Wait and Time2Retain as negotiated. */
    private LogoutResponse answer(LogoutRequest l, int response) {
        return new LogoutResponse(response, l.initiatorTaskTag(), connection.nextStatSn(),
                connection.window().expCmdSn(), connection.window().maxCmdSn(),
                connection.parameters().defaultTime2Wait(), connection.parameters().defaultTime2Retain());
    }
}
