package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.pdu.AsyncMessage;

import java.util.concurrent.TimeUnit;

/**
 * Asynchronous Messages the target sends on its own (RFC 7143 section 11.9.1): the announcement that the session's
 * connections will drop (AsyncEvent 3) and the request to log out (AsyncEvent 1). Both are callable from any
 * thread; they run on the connection's event loop and do nothing on a connection already closed.
 */
final class AsyncMessages {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);

    private final ConnectionContext connection;

    AsyncMessages(ConnectionContext connection) {
        this.connection = connection;
    }

    /**
     * Tells the initiator that the target will drop all the connections of this session (AsyncEvent 3) and that it
     * may reconnect after {@code time2Wait} seconds; the connection stays up. open-iscsi and libiscsi take
     * Parameter2 as the wait before their next reconnect, so a move announced with 0 is followed by an immediate
     * reconnect instead of the session's DefaultTime2Wait.
     */
    void announceDrop(int time2Wait) {
        connection.ctx().executor().execute(() -> {
            if (connection.ctx().channel().isActive()) {
                connection.ctx().writeAndFlush(new AsyncMessage(0, connection.nextStatSn(),
                        connection.window().expCmdSn(), connection.window().maxCmdSn(),
                        AsyncMessage.SESSION_WILL_BE_DROPPED, 0, 0, time2Wait,
                        connection.parameters().defaultTime2Retain(), Unpooled.EMPTY_BUFFER));
            }
        });
    }

    /**
     * Asks for a logout within {@code seconds} (AsyncEvent 1, Parameter3) and closes the connection if the
     * initiator has not logged out by then.
     */
    void requestLogout(int seconds) {
        connection.ctx().executor().execute(() -> {
            if (!connection.ctx().channel().isActive()) {
                return;
            }
            LOG.info("{}: asking the initiator to log out within {} s", connection.describe(), seconds);
            connection.ctx().writeAndFlush(new AsyncMessage(0, connection.nextStatSn(),
                    connection.window().expCmdSn(), connection.window().maxCmdSn(), AsyncMessage.LOGOUT_REQUESTED, 0,
                    0, 0, seconds, Unpooled.EMPTY_BUFFER));
            connection.ctx().executor().schedule(() -> {
                if (connection.ctx().channel().isActive()) {
                    LOG.info("{}: no logout within {} s; connection closed", connection.describe(), seconds);
                    connection.ctx().close();
                }
            }, seconds, TimeUnit.SECONDS);
        });
    }
}
