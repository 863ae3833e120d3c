package org.tandem.scsi.sbc;

import org.tandem.scsi.cdb.Cdb;

/**
 * The LOGICAL BLOCK ADDRESS and TRANSFER LENGTH of a block command, read from wherever its CDB form keeps them,
 * with the byte offsets of those fields so an error can point at them.
 */
public record BlockRange(long lba, long blocks, int lbaField, int lengthField) {

    /** The six-byte forms keep LBA bits where the others keep flags (RDPROTECT, DPO, FUA...). */
    public boolean hasFlagsByte() {
        return lbaField != 1;
    }

    /** READ(6)/WRITE(6): 21-bit LBA, and a transfer length of 0 meaning 256 blocks. */
    public static BlockRange of6(byte[] cdb) {
        int blocks = Cdb.u8(cdb, 4);
        return new BlockRange(Cdb.u24(cdb, 1) & 0x1fffff, blocks == 0 ? 256 : blocks, 1, 4);
    }

    public static BlockRange of10(byte[] cdb) {
        return new BlockRange(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7), 2, 7);
    }

    public static BlockRange of12(byte[] cdb) {
        return new BlockRange(Cdb.u32(cdb, 2), Cdb.u32(cdb, 6), 2, 6);
    }

    public static BlockRange of16(byte[] cdb) {
        return new BlockRange(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10), 2, 10);
    }

    /** True when the range ends beyond the last block of a medium of {@code capacity} blocks. */
    public boolean exceeds(long capacity) {
        return Long.compareUnsigned(lba, capacity) > 0 || blocks > capacity - lba;
    }
}
