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

    private BlockLimits() {
    }

    public static int maximumTransferBlocks(int blockSize) {
        return MAXIMUM_TRANSFER_BYTES / blockSize;
    }

    public static int optimalTransferBlocks(int blockSize) {
        return OPTIMAL_TRANSFER_BYTES / blockSize;
    }
}
