package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/** Task Management Function Request (RFC 7143 section 11.5). */
public record TaskManagementRequest(boolean immediate, int function, long logicalUnitNumber, int initiatorTaskTag,
                                    int referencedTaskTag, int cmdSn, int expStatSn, int refCmdSn,
                                    int expDataSn) implements IscsiPdu {

    public static final int ABORT_TASK = 1;
    public static final int ABORT_TASK_SET = 2;
    public static final int CLEAR_ACA = 3;
    public static final int CLEAR_TASK_SET = 4;
    public static final int LOGICAL_UNIT_RESET = 5;
    public static final int TARGET_WARM_RESET = 6;
    public static final int TARGET_COLD_RESET = 7;
    public static final int TASK_REASSIGN = 8;

    public static TaskManagementRequest decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        data.release(); // a TMF request carries no data; anything sent is ignored
        return new TaskManagementRequest(Bhs.immediate(h, 0), Bhs.flags(h, 0) & 0x7f, h.getLong(8), h.getInt(16),
                h.getInt(20), h.getInt(24), h.getInt(28), h.getInt(32), h.getInt(36));
    }

    @Override
    public Opcode opcode() {
        return Opcode.TASK_MANAGEMENT_REQUEST;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        Bhs.begin(out, opcode(), immediate, 0x80 | function);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag).setInt(s + 20, referencedTaskTag)
                .setInt(s + 24, cmdSn).setInt(s + 28, expStatSn).setInt(s + 32, refCmdSn).setInt(s + 36, expDataSn);
    }
}
