package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** SNACK Request (RFC 7143 section 11.16). Tandem runs ErrorRecoveryLevel 0, where SNACK is rejected. */
public record SnackRequest(int type, long logicalUnitNumber, int initiatorTaskTag, int targetTransferTag,
                           int expStatSn, int begRun, int runLength) implements IscsiPdu {

    public static SnackRequest decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        data.release();
        return new SnackRequest(Bhs.flags(h, 0) & 0x0f, h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(28),
                h.getInt(40), h.getInt(44));
    }

    @Override
    public Opcode opcode() {
        return Opcode.SNACK_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, 0x80 | type);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag)
                .setInt(s + 28, expStatSn).setInt(s + 40, begRun).setInt(s + 44, runLength);
    }
}
