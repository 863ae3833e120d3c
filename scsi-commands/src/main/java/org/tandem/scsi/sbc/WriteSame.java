package org.tandem.scsi.sbc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * WRITE SAME(10) and (16) (SBC-4 sections 5.48, 5.49): one block from the initiator written over a range. The
 * UNMAP and ANCHOR bits need thin provisioning, which these LUNs do not report (LBPWS = 0), so they are invalid
 * fields; so are the obsolete LBDATA/PBDATA bits. NUMBER OF LOGICAL BLOCKS 0 is refused (WSNZ = 1).
 */
public final class WriteSame {
    /** Blocks written per store call: bounds the pattern buffer while keeping calls few. */
    private static final int CHUNK_BYTES = 1024 * 1024;

    private WriteSame() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c, Function<byte[], BlockRange> form) {
        byte[] cdb = c.cdb();
        BlockRange range = form.apply(cdb);
        BlockStore store = c.store();
        if ((cdb[1] & 0xe0) != 0) {
            return CommandContext.done(CommandResult.invalidField(1, 7));
        }
        if ((cdb[1] & 0x18) != 0) {
            return CommandContext.done(CommandResult.invalidField(1, (cdb[1] & 0x08) != 0 ? 3 : 4));
        }
        if ((cdb[1] & 0x06) != 0) {
            return CommandContext.done(CommandResult.invalidField(1, 2));
        }
        if (range.blocks() == 0 || range.blocks() > BlockLimits.MAXIMUM_WRITE_SAME_BLOCKS) {
            return CommandContext.done(CommandResult.invalidField(range.lengthField(), -1));
        }
        if (range.exceeds(store.blockCount())) {
            return CommandContext.done(CommandResult.checkCondition(SenseReason.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE));
        }
        SenseReason protection = c.writeProtection();
        if (protection != null) {
            return CommandContext.done(CommandResult.checkCondition(protection));
        }
        ByteBuf block = c.dataOut();
        int blockSize = store.blockSize();
        if (block.readableBytes() != blockSize) {
            return CommandContext.done(CommandResult.checkCondition(
                    SenseData.of(SenseReason.INVALID_FIELD_IN_COMMAND_INFORMATION_UNIT), blockSize));
        }
        return c.onIoExecutor(SenseReason.WRITE_ERROR, () -> c.shared(() -> {
            int perChunk = (int) Math.min(range.blocks(), CHUNK_BYTES / blockSize);
            ByteBuf pattern = ByteBufAllocator.DEFAULT.directBuffer(perChunk * blockSize);
            try {
                for (int i = 0; i < perChunk; i++) {
                    pattern.writeBytes(block, block.readerIndex(), blockSize);
                }
                long lba = range.lba();
                long left = range.blocks();
                while (left > 0) {
                    int n = (int) Math.min(left, perChunk);
                    store.write(lba * blockSize, pattern.slice(0, n * blockSize), false);
                    lba += n;
                    left -= n;
                }
            } finally {
                pattern.release();
            }
            return CommandResult.goodWrite(blockSize);
        }));
    }
}
