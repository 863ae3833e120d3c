package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Text Request (RFC 7143 section 11.10). */
public record TextRequest(boolean immediate, boolean finalFlag, boolean continueFlag, long logicalUnitNumber,
                          int initiatorTaskTag, int targetTransferTag, int cmdSn, int expStatSn,
                          ByteBuf data) implements IscsiPdu {

    public static TextRequest decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        int f = Bhs.flags(h, 0);
        return new TextRequest(Bhs.immediate(h, 0), (f & 0x80) != 0, (f & 0x40) != 0, h.getLong(8), h.getInt(16),
                h.getInt(20), h.getInt(24), h.getInt(28), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.TEXT_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), immediate, (finalFlag ? 0x80 : 0) | (continueFlag ? 0x40 : 0));
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag)
                .setInt(s + 24, cmdSn).setInt(s + 28, expStatSn);
    }
}
