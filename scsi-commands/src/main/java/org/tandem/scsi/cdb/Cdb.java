package org.tandem.scsi.cdb;

/** Big-endian field reads from a CDB or parameter list, as SPC-5 lays fields out. */
public final class Cdb {
    private Cdb() {
    }

    public static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    public static int u16(byte[] b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }

    public static int u24(byte[] b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }

    public static long u32(byte[] b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    public static long u64(byte[] b, int i) {
        return (u32(b, i) << 32) | u32(b, i + 4);
    }

    /** The service action field, the low five bits of byte 1. */
    public static int serviceAction(byte[] cdb) {
        return cdb[1] & 0x1f;
    }
}
