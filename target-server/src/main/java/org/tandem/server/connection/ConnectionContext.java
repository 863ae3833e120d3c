package org.tandem.server.connection;

import io.netty.channel.ChannelHandlerContext;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.Session;

/**
 * What every job of one full feature phase connection shares: its channel, its session and negotiated parameters,
 * the session's command window, and the numbers the target hands out on this connection (RFC 7143 section 4.2.2.2:
 * StatSN counts per connection; Target Transfer Tags are the target's to choose). Used on the connection's event
 * loop only.
 */
final class ConnectionContext {
    private static final int RESERVED = Bhs.RESERVED_TAG;

    private final ChannelHandlerContext ctx;
    private final Session session;
    private final SessionParameters parameters;
    private int statSn;
    private int nextTargetTransferTag = 1;

    /** @param firstStatSn the StatSN of the first response after login */
    ConnectionContext(ChannelHandlerContext ctx, Session session, SessionParameters parameters, int firstStatSn) {
        this.ctx = ctx;
        this.session = session;
        this.parameters = parameters;
        this.statSn = firstStatSn;
    }

    /** The connection's handler context: its channel, its event loop, where PDUs are written. */
    ChannelHandlerContext ctx() {
        return ctx;
    }

    Session session() {
        return session;
    }

    /** This connection's parameters: the session's, with its own digests and segment lengths. */
    SessionParameters parameters() {
        return parameters;
    }

    CommandWindow window() {
        return session.window();
    }

    /** The StatSN for a response that acknowledges status: it advances (RFC 7143 section 4.2.2.2). */
    int nextStatSn() {
        return statSn++;
    }

    /** The StatSN to show in a PDU that carries no status (R2T, a NOP-In ping): it does not advance. */
    int currentStatSn() {
        return statSn;
    }

    /** A Target Transfer Tag this connection has not handed out lately: never the reserved 0xffffffff. */
    int nextTargetTransferTag() {
        int t = nextTargetTransferTag++;
        if (nextTargetTransferTag == RESERVED) {
            nextTargetTransferTag = 1;
        }
        return t;
    }

    /** The session as log lines name it. */
    String describe() {
        return session.describe();
    }
}
