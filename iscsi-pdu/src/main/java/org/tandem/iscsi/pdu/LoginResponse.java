package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Login Response (RFC 7143 section 11.13); status class and detail as in section 11.13.5. */
public record LoginResponse(boolean transit, boolean continueFlag, LoginStage currentStage, LoginStage nextStage,
                            int versionMax, int versionActive, long isid, int tsih, int initiatorTaskTag,
                            int statSn, int expCmdSn, int maxCmdSn, int statusClass, int statusDetail,
                            ByteBuf data) implements IscsiPdu {

    public static LoginResponse decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        int f = Bhs.flags(h, 0);
        long isid = ((long) h.getUnsignedShort(8) << 32) | h.getUnsignedInt(10);
        return new LoginResponse((f & 0x80) != 0, (f & 0x40) != 0, LoginStage.of(f >> 2), LoginStage.of(f),
                h.getUnsignedByte(2), h.getUnsignedByte(3), isid, h.getUnsignedShort(14), h.getInt(16),
                h.getInt(24), h.getInt(28), h.getInt(32), h.getUnsignedByte(36), h.getUnsignedByte(37), data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.LOGIN_RESPONSE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int f = (transit ? 0x80 : 0) | (continueFlag ? 0x40 : 0) | (currentStage.code() << 2) | nextStage.code();
        Bhs.begin(out, opcode(), false, f);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 2, versionMax).setByte(s + 3, versionActive).setShort(s + 8, (int) (isid >>> 32))
                .setInt(s + 10, (int) isid).setShort(s + 14, tsih).setInt(s + 16, initiatorTaskTag)
                .setInt(s + 24, statSn).setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn)
                .setByte(s + 36, statusClass).setByte(s + 37, statusDetail);
    }
}
