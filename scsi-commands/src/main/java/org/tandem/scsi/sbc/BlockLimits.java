package org.tandem.scsi.sbc;

/**
 * The transfer limits Tandem advertises in the Block Limits VPD page and enforces. One command's data is held in
 * memory while it is in flight, so the maximum bounds memory per command.
 */
public final class BlockLimits {
    /** The largest transfer one command may ask for. */
    public static final int MAXIMUM_TRANSFER_BYTES = 8 * 1024 * 1024;
    /** The transfer size that performs best: one full MaxBurstLength of the usual initiator. */
    public static final int OPTIMAL_TRANSFER_BYTES = 1024 * 1024;
    /** WRITE SAME moves no data over the wire, so its limit is generous; it bounds one command's run time. */
    public static final long MAXIMUM_WRITE_SAME_BLOCKS = 1L << 21;
    /** COMPARE AND WRITE: VMware sends one block; a few more cost nothing. */
    public static final int MAXIMUM_COMPARE_AND_WRITE_BLOCKS = 16;

    private BlockLimits() {
    }

    public static int maximumTransferBlocks(int blockSize) {
        return MAXIMUM_TRANSFER_BYTES / blockSize;
    }

    public static int optimalTransferBlocks(int blockSize) {
        return OPTIMAL_TRANSFER_BYTES / blockSize;
    }
}
