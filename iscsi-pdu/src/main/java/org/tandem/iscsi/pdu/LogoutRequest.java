package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Logout Request (RFC 7143 section 11.14). */
public record LogoutRequest(boolean immediate, int reasonCode, int initiatorTaskTag, int cid, int cmdSn,
                            int expStatSn) implements IscsiPdu {

    public static final int CLOSE_SESSION = 0;
    public static final int CLOSE_CONNECTION = 1;
    public static final int REMOVE_CONNECTION_FOR_RECOVERY = 2;

    public static LogoutRequest decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        data.release();
        return new LogoutRequest(Bhs.immediate(h, 0), Bhs.flags(h, 0) & 0x7f, h.getInt(16), h.getUnsignedShort(20),
                h.getInt(24), h.getInt(28));
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGOUT_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), immediate, 0x80 | reasonCode);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setInt(s + 16, initiatorTaskTag).setShort(s + 20, cid).setInt(s + 24, cmdSn).setInt(s + 28, expStatSn);
    }
}
