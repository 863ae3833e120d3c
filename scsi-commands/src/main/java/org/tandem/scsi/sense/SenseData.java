package org.tandem.scsi.sense;

/**
 * Fixed-format sense data (SPC-5 section 4.4.3): response code 70h, 18 bytes. A field pointer, when given, goes
 * in the sense-key specific bytes with SKSV set (C/D says whether it points into the CDB or the parameter list).
 */
public record SenseData(SenseReason reason, int fieldPointer, int bitPointer, boolean inCdb, long information) {
    public static final int FIXED_LENGTH = 18;
    private static final int NO_POINTER = -1;

    public static SenseData of(SenseReason reason) {
        return new SenseData(reason, NO_POINTER, NO_POINTER, true, -1);
    }

    /** INVALID FIELD IN CDB and friends: points at byte {@code field} (and bit {@code bit}, or -1) of the CDB. */
    public static SenseData cdbField(SenseReason reason, int field, int bit) {
        return new SenseData(reason, field, bit, true, -1);
    }

    /** Points at byte {@code field} of the parameter list. */
    public static SenseData parameterField(SenseReason reason, int field, int bit) {
        return new SenseData(reason, field, bit, false, -1);
    }

    /** With the INFORMATION field set (for example the offset of a miscompare). */
    public static SenseData withInformation(SenseReason reason, long information) {
        return new SenseData(reason, NO_POINTER, NO_POINTER, true, information);
    }

    public byte[] toFixedFormat() {
        byte[] s = new byte[FIXED_LENGTH];
        s[0] = (byte) (information >= 0 ? 0xf0 : 0x70);
        s[2] = (byte) reason.key().code();
        if (information >= 0) {
            s[3] = (byte) (information >>> 24);
            s[4] = (byte) (information >>> 16);
            s[5] = (byte) (information >>> 8);
            s[6] = (byte) information;
        }
        s[7] = (byte) (FIXED_LENGTH - 8);
        s[12] = (byte) reason.asc();
        s[13] = (byte) reason.ascq();
        if (fieldPointer >= 0) {
            s[15] = (byte) (0x80 | (inCdb ? 0x40 : 0) | (bitPointer >= 0 ? 0x08 | bitPointer : 0));
            s[16] = (byte) (fieldPointer >>> 8);
            s[17] = (byte) fieldPointer;
        }
        return s;
    }
}
