package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * NOP-In (RFC 7143 section 11.19): the target's answer to a NOP-Out, or its own ping when the Target Transfer
 * Tag is not 0xffffffff (then the initiator must answer with a NOP-Out carrying that tag).
 */
public record NopIn(long logicalUnitNumber, int initiatorTaskTag, int targetTransferTag, int statSn, int expCmdSn,
                    int maxCmdSn, ByteBuf data) implements IscsiPdu {

    public static NopIn decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        return new NopIn(h.getLong(8), h.getInt(16), h.getInt(20), h.getInt(24), h.getInt(28), h.getInt(32), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.NOP_IN;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, Bhs.FINAL_BIT);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, targetTransferTag)
                .setInt(s + 24, statSn).setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn);
    }
}
