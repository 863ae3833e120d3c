package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** NOP-Out (RFC 7143 section 11.18): an initiator's ping, or its answer to a target's NOP-In. */
public record NopOut(boolean immediate, long logicalUnitNumber, int initiatorTaskTag, int targetTransferTag,
                     int cmdSn, int expStatSn, ByteBuf data) implements IscsiPdu {

    public static NopOut decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        return new NopOut(Bhs.immediate(h, 0), h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24),
                h.getInt(28), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_OUT;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), immediate, Bhs.FINAL_BIT);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag)
                .setInt(s + 24, cmdSn).setInt(s + 28, expStatSn);
    }
}
