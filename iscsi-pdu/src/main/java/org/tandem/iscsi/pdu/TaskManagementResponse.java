package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Task Management Function Response (RFC 7143 section 11.6). */
public record TaskManagementResponse(int response, int initiatorTaskTag, int statSn, int expCmdSn,
                                     int maxCmdSn) implements IscsiPdu {

    public static final int FUNCTION_COMPLETE = 0;
    public static final int TASK_DOES_NOT_EXIST = 1;
    public static final int LUN_DOES_NOT_EXIST = 2;
    public static final int TASK_STILL_ALLEGIANT = 3;
    public static final int TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED = 4;
    public static final int FUNCTION_NOT_SUPPORTED = 5;
    public static final int FUNCTION_AUTHORIZATION_FAILED = 6;
    public static final int FUNCTION_REJECTED = 255;

    public static TaskManagementResponse decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        data.release();
        return new TaskManagementResponse(h.getUnsignedByte(2), h.getInt(16), h.getInt(24), h.getInt(28),
                h.getInt(32));
    }

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_RESPONSE;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), false, 0x80);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setByte(s + 2, response).setInt(s + 16, initiatorTaskTag).setInt(s + 24, statSn)
                .setInt(s + 28, expCmdSn).setInt(s + 32, maxCmdSn);
    }
}
