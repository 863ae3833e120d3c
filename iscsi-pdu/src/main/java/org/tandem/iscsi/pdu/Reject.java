package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Reject (RFC 7143 section 11.17). The data segment is the complete header of the rejected PDU. */
public record Reject(RejectReason reason, int statSn, int expCmdSn, int maxCmdSn, int dataSn,
                     ByteBuf data) implements IscsiPdu {

    public static Reject decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        return new Reject(RejectReason.of(h.getUnsignedByte(2)), h.getInt(24), h.getInt(28), h.getInt(32),
                h.getInt(36), data);
    }

    @Override
    public int initiatorTaskTag() {
        return Bhs.RESERVED_TAG;
    }

    @Override
    public Opcode opcode() {
        return Opcode.REJECT;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, 0x80);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 2, reason.code()).setInt(s + 16, Bhs.RESERVED_TAG).setInt(s + 24, statSn)
                .setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn).setInt(s + 36, dataSn);
    }
}
