package org.tandem.scsi.sense;

/** Sense keys (SPC-5 table 52). */
public enum SenseKey {
    NO_SENSE(0x0), RECOVERED_ERROR(0x1), NOT_READY(0x2), MEDIUM_ERROR(0x3), HARDWARE_ERROR(0x4),
    ILLEGAL_REQUEST(0x5), UNIT_ATTENTION(0x6), DATA_PROTECT(0x7), BLANK_CHECK(0x8), VENDOR_SPECIFIC(0x9),
    COPY_ABORTED(0xa), ABORTED_COMMAND(0xb), VOLUME_OVERFLOW(0xd), MISCOMPARE(0xe);

    private final int code;

    SenseKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
