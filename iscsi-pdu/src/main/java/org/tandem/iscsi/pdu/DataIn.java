package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * SCSI Data-In (RFC 7143 section 11.7). With the S bit the PDU also carries the command's status (and then
 * StatSN and the residual fields are meaningful), so no separate SCSI Response is sent.
 */
public record DataIn(boolean finalFlag, boolean acknowledge, boolean residualOverflow, boolean residualUnderflow,
                     boolean statusPresent, int status, long logicalUnitNumber, int initiatorTaskTag,
                     int targetTransferTag, int statSn, int expCmdSn, int maxCmdSn, int dataSn, int bufferOffset,
                     int residualCount, ByteBuf data) implements IscsiPdu {

    public static DataIn decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        int f = Bhs.flags(h, 0);
        return new DataIn((f & 0x80) != 0, (f & 0x40) != 0, (f & 0x04) != 0, (f & 0x02) != 0, (f & 0x01) != 0,
                h.getUnsignedByte(3), h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28),
                h.getInt(32), h.getInt(36), h.getInt(40), h.getInt(44), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_DATA_IN;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int f = (finalFlag ? 0x80 : 0) | (acknowledge ? 0x40 : 0) | (residualOverflow ? 0x04 : 0)
                | (residualUnderflow ? 0x02 : 0) | (statusPresent ? 0x01 : 0);
        Bhs.begin(out, opcode(), false, f);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 3, statusPresent ? status : 0).setLong(s + 8, logicalUnitNumber)
                .setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag).setInt(s + 24, statSn)
                .setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn).setInt(s + 36, dataSn)
                .setInt(s + 40, bufferOffset).setInt(s + 44, residualCount);
    }
}
