package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Logout Response (RFC 7143 section 11.15). */
public record LogoutResponse(int response, int initiatorTaskTag, int statSn, int expCmdSn, int maxCmdSn,
                             int time2Wait, int time2Retain) implements IscsiPdu {

    public static final int CONNECTION_CLOSED_SUCCESSFULLY = 0;
    public static final int CID_NOT_FOUND = 1;
    public static final int RECOVERY_NOT_SUPPORTED = 2;
    public static final int CLEANUP_FAILED = 3;

    public static LogoutResponse decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        data.release();
        return new LogoutResponse(h.getUnsignedByte(2), h.getInt(16), h.getInt(24), h.getInt(28), h.getInt(32),
                h.getUnsignedShort(40), h.getUnsignedShort(42));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_RESPONSE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, 0x80);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 2, response).setInt(s + 16, initiatorTaskTag).setInt(s + 24, statSn)
                .setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn).setShort(s + 40, time2Wait)
                .setShort(s + 42, time2Retain);
    }
}
