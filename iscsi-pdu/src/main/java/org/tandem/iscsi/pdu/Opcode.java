package org.tandem.iscsi.pdu;

/** The opcodes of RFC 7143 section 11.1.1, with the direction each travels in. */
public enum Opcode {
    NOP_OUT(0x00, true),
    SCSI_COMMAND(0x01, true),
    TASK_MANAGEMENT_REQUEST(0x02, true),
    LOGIN_REQUEST(0x03, true),
    TEXT_REQUEST(0x04, true),
    SCSI_DATA_OUT(0x05, true),
    LOGOUT_REQUEST(0x06, true),
    SNACK_REQUEST(0x10, true),
    NOP_IN(0x20, false),
    SCSI_RESPONSE(0x21, false),
    TASK_MANAGEMENT_RESPONSE(0x22, false),
    LOGIN_RESPONSE(0x23, false),
    TEXT_RESPONSE(0x24, false),
    SCSI_DATA_IN(0x25, false),
    LOGOUT_RESPONSE(0x26, false),
    READY_TO_TRANSFER(0x31, false),
    ASYNC_MESSAGE(0x32, false),
    REJECT(0x3f, false);

    private static final Opcode[] BY_CODE = new Opcode[64];

    static {
        for (Opcode o : values()) {
            BY_CODE[o.code] = o;
        }
    }

    private final int code;
    private final boolean fromInitiator;

    Opcode(int code, boolean fromInitiator) {
        this.code = code;
        this.fromInitiator = fromInitiator;
    }

    /** The six-bit opcode value. */
    public int code() {
        return code;
    }

    /** True for opcodes an initiator sends, false for those a target sends. */
    public boolean fromInitiator() {
        return fromInitiator;
    }

    /** The opcode for the low six bits of byte 0, or null when RFC 7143 defines none (vendor or reserved). */
    public static Opcode of(int code) {
        return BY_CODE[code & 0x3f];
    }
}
