package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Login Request (RFC 7143 section 11.12). The ISID is the six bytes at offset 8, kept as a 48-bit number. */
public record LoginRequest(boolean transit, boolean continueFlag, LoginStage currentStage, LoginStage nextStage,
                           int versionMax, int versionMin, long isid, int tsih, int initiatorTaskTag, int cid,
                           int cmdSn, int expStatSn, ByteBuf data) implements IscsiPdu {

    public static LoginRequest decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        int f = Bhs.flags(h, 0);
        long isid = ((long) h.getUnsignedShort(8) << 32) | h.getUnsignedInt(10);
        return new LoginRequest((f & 0x80) != 0, (f & 0x40) != 0, LoginStage.of(f >> 2), LoginStage.of(f),
                h.getUnsignedByte(2), h.getUnsignedByte(3), isid, h.getUnsignedShort(14), h.getInt(16),
                h.getUnsignedShort(20), h.getInt(24), h.getInt(28), data);
    }

    @Override
    public boolean immediate() {
        return true; // RFC 7143 section 11.12: the I bit is always 1 in a Login Request
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int f = (transit ? 0x80 : 0) | (continueFlag ? 0x40 : 0) | (currentStage.code() << 2) | nextStage.code();
        Bhs.begin(out, opcode(), true, f);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 2, versionMax).setByte(s + 3, versionMin).setShort(s + 8, (int) (isid >>> 32))
                .setInt(s + 10, (int) isid).setShort(s + 14, tsih).setInt(s + 16, initiatorTaskTag)
                .setShort(s + 20, cid).setInt(s + 24, cmdSn).setInt(s + 28, expStatSn);
    }
}
