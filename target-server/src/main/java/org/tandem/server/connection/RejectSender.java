package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;

/**
 * Reject PDUs of one connection (RFC 7143 section 11.17): the data segment carries the complete header of the
 * refused PDU, with its DataSegmentLength as it came. Each rejection is logged up to a limit per connection; a
 * flood of bad PDUs is counted and summarised once when the connection ends, so it cannot fill the log.
 */
final class RejectSender {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);
    /** Rejections logged one by one per connection. */
    static final int LOGGED = 10;

    private final ConnectionContext connection;
    private int rejects;

    RejectSender(ConnectionContext connection) {
        this.connection = connection;
    }

    /** A PDU the decoder could not read: rejected with the reason it found; a fatal one also ends the connection. */
    void invalid(InvalidPdu invalid) {
        if (shouldLog()) {
            LOG.warn("{}: rejected PDU ({}): {}", connection.describe(), invalid.reason(), invalid.detail());
        }
        send(invalid.reason(), invalid.header());
        if (invalid.fatal()) {
            connection.ctx().close();
        }
    }

    /** A well-formed PDU that cannot be acted on; {@code why} goes to the log only. Does not release the PDU. */
    void reject(IscsiPdu pdu, RejectReason reason, String why) {
        if (shouldLog()) {
            LOG.warn("{}: rejected {} ({}): {}", connection.describe(), pdu.opcode(), reason, why);
        }
        ByteBuf header = Unpooled.buffer(Bhs.LENGTH);
        pdu.writeBhs(header);
        // writeBhs leaves DataSegmentLength to the encoder; the copied header shows the length the PDU came with.
        header.setMedium(Bhs.DATA_SEGMENT_LENGTH, pdu.data().readableBytes());
        byte[] bytes = new byte[Bhs.LENGTH];
        header.getBytes(0, bytes);
        header.release();
        send(reason, bytes);
    }

    /** The summary line of a connection that rejected more than it logged; called once, when it ends. */
    void connectionEnded() {
        if (rejects > LOGGED) {
            LOG.warn("{}: {} PDUs rejected on this connection in all, {} not logged one by one",
                    connection.describe(), rejects, rejects - LOGGED);
        }
    }

    private boolean shouldLog() {
        rejects++;
        if (rejects == LOGGED + 1) {
            LOG.warn("{}: more than {} PDUs rejected; the rest are counted, not logged", connection.describe(),
                    LOGGED);
        }
        return rejects <= LOGGED;
    }

    private void send(RejectReason reason, byte[] header) {
        connection.ctx().writeAndFlush(new Reject(reason, connection.nextStatSn(), connection.window().expCmdSn(),
                connection.window().maxCmdSn(), 0, Unpooled.wrappedBuffer(header)));
    }
}
