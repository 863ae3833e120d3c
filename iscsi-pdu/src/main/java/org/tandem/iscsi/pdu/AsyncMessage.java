package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Asynchronous Message (RFC 7143 section 11.9). Data: SenseLength, sense data, iSCSI event data. */
public record AsyncMessage(long logicalUnitNumber, int statSn, int expCmdSn, int maxCmdSn, int asyncEvent,
                           int asyncVCode, int parameter1, int parameter2, int parameter3,
                           ByteBuf data) implements IscsiPdu {

    public static final int SCSI_ASYNC_EVENT = 0;
    public static final int LOGOUT_REQUESTED = 1;
    public static final int CONNECTION_WILL_BE_DROPPED = 2;
    public static final int SESSION_WILL_BE_DROPPED = 3;
    public static final int NEGOTIATION_REQUESTED = 4;

    public static AsyncMessage decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        return new AsyncMessage(h.getLong(8), h.getInt(24), h.getInt(28), h.getInt(32), h.getUnsignedByte(36),
                h.getUnsignedByte(37), h.getUnsignedShort(38), h.getUnsignedShort(40), h.getUnsignedShort(42), data);
    }

    @Override
    public int initiatorTaskTag() {
        return Bhs.RESERVED_TAG;
    }

    @Override
    public Opcode opcode() {
        return Opcode.ASYNC_MESSAGE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, 0x80);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, Bhs.RESERVED_TAG).setInt(s + 24, statSn)
                .setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn).setByte(s + 36, asyncEvent)
                .setByte(s + 37, asyncVCode).setShort(s + 38, parameter1).setShort(s + 40, parameter2)
                .setShort(s + 42, parameter3);
    }
}
