package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;

/**
 * Offsets and accessors for the fields every Basic Header Segment shares (RFC 7143 section 11.2.1).
 * All reads are absolute, relative to the start of the header, so a decoder never moves the reader index
 * while it is still deciding whether a whole PDU has arrived.
 */
public final class Bhs {
    /** The length of the Basic Header Segment. */
    public static final int LENGTH = 48;
    /** The Initiator Task Tag value reserved for "no task" (RFC 7143 section 11.2.1.8). */
    public static final int RESERVED_TAG = 0xffffffff;

    public static final int OPCODE = 0;
    public static final int FLAGS = 1;
    public static final int TOTAL_AHS_LENGTH = 4;
    public static final int DATA_SEGMENT_LENGTH = 5;
    public static final int LUN = 8;
    public static final int INITIATOR_TASK_TAG = 16;

    private static final int IMMEDIATE_BIT = 0x40;
    public static final int FINAL_BIT = 0x80;

    private Bhs() {
    }

    public static int opcodeCode(ByteBuf bhs, int start) {
        return bhs.getUnsignedByte(start + OPCODE) & 0x3f;
    }

    public static boolean immediate(ByteBuf bhs, int start) {
        return (bhs.getUnsignedByte(start + OPCODE) & IMMEDIATE_BIT) != 0;
    }

    public static int flags(ByteBuf bhs, int start) {
        return bhs.getUnsignedByte(start + FLAGS);
    }

    /** TotalAHSLength in bytes (the field counts four-byte words). */
    public static int totalAhsBytes(ByteBuf bhs, int start) {
        return bhs.getUnsignedByte(start + TOTAL_AHS_LENGTH) * 4;
    }

    public static int dataSegmentLength(ByteBuf bhs, int start) {
        return bhs.getUnsignedMedium(start + DATA_SEGMENT_LENGTH);
    }

    /** Writes byte 0 (opcode and immediate bit) and byte 1 (flags), zeroing the rest of the 48 bytes first. */
    static void begin(ByteBuf out, Opcode opcode, boolean immediate, int flags) {
        out.writeZero(LENGTH);
        int start = out.writerIndex() - LENGTH;
        out.setByte(start + OPCODE, opcode.code() | (immediate ? IMMEDIATE_BIT : 0));
        out.setByte(start + FLAGS, flags);
    }

    /** The number of pad bytes that bring a segment of this length to a four-byte boundary. */
    public static int padding(int length) {
        return (4 - (length & 3)) & 3;
    }
}
