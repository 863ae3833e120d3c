package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** SCSI Data-Out (RFC 7143 section 11.7): write data, unsolicited or in answer to an R2T. */
public record DataOut(boolean finalFlag, long logicalUnitNumber, int initiatorTaskTag, int targetTransferTag,
                      int expStatSn, int dataSn, int bufferOffset, ByteBuf data) implements IscsiPdu {

    public static DataOut decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        return new DataOut((Bhs.flags(h, 0) & 0x80) != 0, h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(28),
                h.getInt(36), h.getInt(40), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_DATA_OUT;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, finalFlag ? 0x80 : 0);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag)
                .setInt(s + 28, expStatSn).setInt(s + 36, dataSn).setInt(s + 40, bufferOffset);
    }
}
