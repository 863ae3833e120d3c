package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Response (RFC 7143 section 11.4). The data segment, when present, is SenseLength (two bytes) followed by
 * the sense data. Residual flags: O/U for the (write or read) transfer, o/u for the bidirectional read part.
 */
public record ScsiResponse(int initiatorTaskTag, int response, int status, boolean residualOverflow,
                           boolean residualUnderflow, int residualCount, boolean bidiOverflow, boolean bidiUnderflow,
                           int bidiResidualCount, int statSn, int expCmdSn, int maxCmdSn, int expDataSn,
                           ByteBuf data) implements IscsiPdu {

    /** Response code: the command completed at the target (status and sense say how). */
    public static final int COMMAND_COMPLETED_AT_TARGET = 0x00;
    /** Response code: the target failed to process the command. */
    public static final int TARGET_FAILURE = 0x01;

    public static ScsiResponse decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        int f = Bhs.flags(h, 0);
        return new ScsiResponse(h.getInt(16), h.getUnsignedByte(2), h.getUnsignedByte(3), (f & 0x04) != 0,
                (f & 0x02) != 0, h.getInt(44), (f & 0x10) != 0, (f & 0x08) != 0, h.getInt(40), h.getInt(24),
                h.getInt(28), h.getInt(32), h.getInt(36), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_RESPONSE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int f = 0x80 | (bidiOverflow ? 0x10 : 0) | (bidiUnderflow ? 0x08 : 0) | (residualOverflow ? 0x04 : 0)
                | (residualUnderflow ? 0x02 : 0);
        Bhs.begin(out, opcode(), false, f);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 2, response).setByte(s + 3, status).setInt(s + 16, initiatorTaskTag)
                .setInt(s + 24, statSn).setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn).setInt(s + 36, expDataSn)
                .setInt(s + 40, bidiResidualCount).setInt(s + 44, residualCount);
    }
}
