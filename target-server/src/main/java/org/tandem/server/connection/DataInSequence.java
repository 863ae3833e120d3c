package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ScsiStatus;

/**
 * The answer to one SCSI command (RFC 7143 sections 11.4 and 11.7): its data in Data-In PDUs of at most the
 * initiator's MaxRecvDataSegmentLength, a sequence (F bit) per MaxBurstLength, and the status in the last Data-In
 * when the command succeeded with data (section 11.7.4), otherwise in a SCSI Response with the sense data.
 * Residuals compare the data the command had (SPDTL) with the Expected Data Transfer Length (section 11.4.5).
 */
final class DataInSequence {
    private static final int RESERVED = Bhs.RESERVED_TAG;

    private DataInSequence() {
    }

    /** Sends the answer and flushes; takes ownership of the result's data. */
    static void respond(ConnectionContext connection, ScsiCommand c, CommandResult result) {
        ByteBuf data = result.dataIn();
        long edtl = Integer.toUnsignedLong(c.expectedDataTransferLength());
        long spdtl = result.transferLength();
        boolean overflow = spdtl > edtl;
        boolean underflow = spdtl < edtl;
        int residual = (int) Math.abs(spdtl - edtl);
        int toSend = c.read() ? (int) Math.min(data.readableBytes(), edtl) : 0;
        boolean statusInData = toSend > 0 && result.status() == ScsiStatus.GOOD;
        int dataSn = 0;
        int expCmdSn = connection.window().expCmdSn();   // read once per response: the window is shared and locked
        int maxCmdSn = connection.window().maxCmdSn();
        try {
            int offset = 0;
            int maxPdu = connection.parameters().maxXmitDataSegmentLength();
            int burst = connection.parameters().maxBurstLength();
            while (offset < toSend) {
                int burstEnd = Math.min(toSend, (offset / burst + 1) * burst);
                int n = Math.min(maxPdu, burstEnd - offset);
                boolean last = offset + n == toSend;
                boolean withStatus = last && statusInData;
                connection.ctx().write(new DataIn(offset + n == burstEnd, false, withStatus && overflow,
                        withStatus && underflow, withStatus, result.status(), c.logicalUnitNumber(),
                        c.initiatorTaskTag(), RESERVED, withStatus ? connection.nextStatSn() : 0, expCmdSn, maxCmdSn,
                        dataSn++, offset, withStatus ? residual : 0,
                        data.retainedSlice(data.readerIndex() + offset, n)));
                offset += n;
            }
        } finally {
            data.release();
        }
        if (!statusInData) {
            ByteBuf sense = Unpooled.EMPTY_BUFFER;
            if (result.sense().length > 0) {
                // SenseLength then the sense data (section 11.4.7.2)
                sense = Unpooled.buffer(2 + result.sense().length).writeShort(result.sense().length)
                        .writeBytes(result.sense());
            }
            connection.ctx().write(new ScsiResponse(c.initiatorTaskTag(), ScsiResponse.COMMAND_COMPLETED_AT_TARGET,
                    result.status(), overflow, underflow, overflow || underflow ? residual : 0, false, false, 0,
                    connection.nextStatSn(), expCmdSn, maxCmdSn, dataSn, sense));
        }
        connection.ctx().flush();
    }
}
