package org.tandem.scsi.sbc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * COMPARE AND WRITE (SBC-4 section 5.3), VMware's atomic test and set: the data-out buffer holds N blocks to
 * compare and N blocks to write; the write happens only if the medium equals the first half. Atomic against every
 * other write to the LUN through the logical unit's write lock.
 */
public final class CompareAndWrite {
    private CompareAndWrite() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        byte[] cdb = c.cdb();
        BlockStore store = c.store();
        int blocks = Cdb.u8(cdb, 13);
        BlockRange range = new BlockRange(Cdb.u64(cdb, 2), blocks, 2, 13);
        if ((cdb[1] & 0xe0) != 0) {
            return CommandContext.done(CommandResult.invalidField(1, 7));
        }
        if (blocks > BlockLimits.MAXIMUM_COMPARE_AND_WRITE_BLOCKS) {
            return CommandContext.done(CommandResult.invalidField(13, -1));
        }
        if (range.exceeds(store.blockCount())) {
            return CommandContext.done(CommandResult.checkCondition(SenseReason.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE));
        }
        int half = blocks * store.blockSize();
        ByteBuf data = c.dataOut();
        if (data.readableBytes() != 2 * half) {
            // The NUMBER OF LOGICAL BLOCKS disagrees with the data sent (often a count of 256 wrapped to 0).
            return CommandContext.done(CommandResult.checkCondition(
                    SenseData.cdbField(SenseReason.INVALID_FIELD_IN_CDB, 13, -1), 2L * half));
        }
        SenseReason protection = c.writeProtection();
        if (protection != null) {
            return CommandContext.done(CommandResult.checkCondition(protection));
        }
        if (blocks == 0) {
            return CommandContext.done(CommandResult.good());
        }
        boolean fua = (cdb[1] & 0x08) != 0;
        long offset = range.lba() * store.blockSize();
        return c.onIoExecutor(SenseReason.WRITE_ERROR, () -> c.exclusively(() -> {
            ByteBuf medium = ByteBufAllocator.DEFAULT.heapBuffer(half);
            try {
                store.read(offset, medium, half);
                for (int i = 0; i < half; i++) {
                    if (medium.getByte(i) != data.getByte(data.readerIndex() + i)) {
                        return CommandResult.checkCondition(SenseData.withInformation(
                                SenseReason.MISCOMPARE_DURING_VERIFY_OPERATION, i), 2L * half);
                    }
                }
                store.write(offset, data.slice(data.readerIndex() + half, half), fua);
                return CommandResult.goodWrite(2L * half);
            } finally {
                medium.release();
            }
        }));
    }
}
