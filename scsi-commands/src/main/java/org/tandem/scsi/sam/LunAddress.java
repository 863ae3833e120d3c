package org.tandem.scsi.sam;

/**
 * The eight-byte LUN field of a command, task management request or REPORT LUNS entry, as a value (SAM-5 section
 * 4.7). Tandem's logical units are addressed at a single level: LUN 0 to 255 with the peripheral device addressing
 * method (00b, bus identifier 0, SAM-5 section 4.7.7.2), LUN 256 to 16383 with the flat space addressing method
 * (01b, SAM-5 section 4.7.7.3); the second to fourth levels are zero. Any other field (another addressing method,
 * a bus identifier, a second level) is carried as it came and addresses no logical unit: {@link #number()} is
 * {@link #NOT_ADDRESSABLE}.
 *
 * @param field the LUN field as it stands on the wire, byte 0 in the most significant byte
 */
public record LunAddress(long field) {
    /** The highest LUN number the single-level flat space method reaches. */
    public static final int MAX_NUMBER = 0x3fff;
    /** What {@link #number()} answers for a field that addresses no logical unit of Tandem's. */
    public static final int NOT_ADDRESSABLE = -1;

    private static final int PERIPHERAL_LIMIT = 0x100;
    private static final int METHOD_PERIPHERAL = 0;
    private static final int METHOD_FLAT = 1;
    private static final int FLAT = METHOD_FLAT << 14;
    private static final long LOWER_LEVELS = 0xffff_ffff_ffffL;

    /**
     * The address of a LUN number: peripheral addressing below 256, flat addressing from 256.
     *
     * @param number 0 to {@link #MAX_NUMBER}
     * @throws IllegalArgumentException for a number no single-level LUN can carry
     */
    public static LunAddress of(int number) {
        if (number < 0 || number > MAX_NUMBER) {
            throw new IllegalArgumentException("LUN " + number + " is outside 0.." + MAX_NUMBER);
        }
        int firstLevel = number < PERIPHERAL_LIMIT ? number : FLAT | number;
        return new LunAddress((long) firstLevel << 48);
    }

    /** The logical unit number this field addresses (0 to {@link #MAX_NUMBER}), or {@link #NOT_ADDRESSABLE}. */
    public int number() {
        if ((field & LOWER_LEVELS) != 0) {
            return NOT_ADDRESSABLE;
        }
        int firstLevel = (int) (field >>> 48) & 0xffff;
        return switch (firstLevel >>> 14) {
            case METHOD_PERIPHERAL -> (firstLevel >>> 8) == 0 ? firstLevel & 0xff : NOT_ADDRESSABLE;
            case METHOD_FLAT -> firstLevel & MAX_NUMBER;
            default -> NOT_ADDRESSABLE;
        };
    }

    /** True when the field addresses a single-level LUN by a method Tandem answers to. */
    public boolean addressable() {
        return number() != NOT_ADDRESSABLE;
    }
}
