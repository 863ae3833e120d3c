package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Ready To Transfer, R2T (RFC 7143 section 11.8): asks for one burst of write data. */
public record ReadyToTransfer(long logicalUnitNumber, int initiatorTaskTag, int targetTransferTag, int statSn,
                              int expCmdSn, int maxCmdSn, int r2tSn, int bufferOffset,
                              int desiredDataTransferLength) implements IscsiPdu {

    public static ReadyToTransfer decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        data.release();
        return new ReadyToTransfer(h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28),
                h.getInt(32), h.getInt(36), h.getInt(40), h.getInt(44));
    }

    @Override
    public Opcode opcode() {
        return Opcode.READY_TO_TRANSFER;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, 0x80);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag)
                .setInt(s + 24, statSn).setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn).setInt(s + 36, r2tSn)
                .setInt(s + 40, bufferOffset).setInt(s + 44, desiredDataTransferLength);
    }
}
