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
 * READ, WRITE, WRITE AND VERIFY, VERIFY and PRE-FETCH in their 6-, 10-, 12- and 16-byte forms (SBC-4 section 5).
 * Each form differs only in where LBA and length sit, so each descriptor pairs one of these operations with the
 * {@link BlockRange} reader for its CDB.
 */
public final class BlockAccess {
    private static final int PROTECT_MASK = 0xe0;
    private static final int FUA = 0x08;
    private static final int BYTCHK_MASK = 0x06;

    private BlockAccess() {
    }

    public static CompletionStage<CommandResult> read(CommandContext c, Function<byte[], BlockRange> form) {
        BlockRange range = form.apply(c.cdb());
        BlockStore store = c.store();
        CommandResult invalid = check(c, range);
        if (invalid != null) {
            return CommandContext.done(invalid);
        }
        int length = (int) (range.blocks() * store.blockSize());
        if (length == 0) {
            return CommandContext.done(CommandResult.good());
        }
        return c.onIoExecutor(SenseReason.UNRECOVERED_READ_ERROR, () -> {
            ByteBuf data = ByteBufAllocator.DEFAULT.directBuffer(length);
            try {
                store.read(range.lba() * store.blockSize(), data, length);
                return CommandResult.good(data);
            } catch (RuntimeException | java.io.IOException e) {
                data.release();
                throw e;
            }
        });
    }

    public static CompletionStage<CommandResult> write(CommandContext c, Function<byte[], BlockRange> form) {
        return write(c, form, false);
    }

    /** WRITE AND VERIFY: the write is made durable before the command completes, which is what verify means here. */
    public static CompletionStage<CommandResult> writeAndVerify(CommandContext c, Function<byte[], BlockRange> form) {
        return write(c, form, true);
    }

    private static CompletionStage<CommandResult> write(CommandContext c, Function<byte[], BlockRange> form,
                                                        boolean durable) {
        BlockRange range = form.apply(c.cdb());
        CommandResult invalid = checkWrite(c, range);
        if (invalid != null) {
            return CommandContext.done(invalid);
        }
        long length = range.blocks() * c.store().blockSize();
        if (length == 0) {
            return CommandContext.done(CommandResult.good());
        }
        boolean fua = durable || (range.hasFlagsByte() && (c.cdb()[1] & FUA) != 0);
        return writeCovered(c, range, length, fua);
    }

    /**
     * Writes the data. When the initiator's Expected Data Transfer Length disagrees with the CDB, only the bytes
     * both cover are written and the command still succeeds (FCP-4's option a, which libiscsi's residual tests
     * check); the transport reports the difference as a residual, computed from the CDB's length returned here.
     */
    private static CompletionStage<CommandResult> writeCovered(CommandContext c, BlockRange range, long length,
                                                               boolean fua) {
        BlockStore store = c.store();
        ByteBuf data = c.dataOut();
        int covered = (int) Math.min(length, data.readableBytes());
        if (covered == 0) {
            return CommandContext.done(CommandResult.goodWrite(length));
        }
        ByteBuf slice = data.slice(data.readerIndex(), covered);
        return c.onIoExecutor(SenseReason.WRITE_ERROR, () -> c.shared(() -> {
            store.write(range.lba() * store.blockSize(), slice, fua);
            return CommandResult.goodWrite(length);
        }));
    }

    /**
     * VERIFY: BYTCHK 0 checks the medium only (nothing to do but the range check), 1 compares the data-out
     * buffer with the medium and 3 compares every block with the single block sent.
     */
    public static CompletionStage<CommandResult> verify(CommandContext c, Function<byte[], BlockRange> form) {
        BlockRange range = form.apply(c.cdb());
        BlockStore store = c.store();
        int bytchk = (c.cdb()[1] & BYTCHK_MASK) >>> 1;
        if (bytchk == 2) {
            return CommandContext.done(CommandResult.invalidField(1, 2));
        }
        long expected = bytchk == 0 ? 0 : bytchk == 1 ? range.blocks() * store.blockSize() : store.blockSize();
        if (range.blocks() == 0) {
            expected = 0;
        }
        CommandResult invalid = check(c, range);
        if (invalid == null && c.dataOut().readableBytes() != expected) {
            invalid = CommandResult.checkCondition(
                    SenseData.of(SenseReason.INVALID_FIELD_IN_COMMAND_INFORMATION_UNIT), expected);
        }
        if (invalid != null) {
            return CommandContext.done(invalid);
        }
        if (bytchk == 0 || range.blocks() == 0) {
            return CommandContext.done(CommandResult.goodWrite(expected));
        }
        ByteBuf sent = c.dataOut();
        long expectedLength = expected;
        int length = (int) (range.blocks() * store.blockSize());
        return c.onIoExecutor(SenseReason.UNRECOVERED_READ_ERROR, () -> {
            ByteBuf medium = ByteBufAllocator.DEFAULT.heapBuffer(length);
            try {
                store.read(range.lba() * store.blockSize(), medium, length);
                for (int i = 0; i < length; i++) {
                    int j = bytchk == 1 ? i : i % store.blockSize();
                    if (medium.getByte(i) != sent.getByte(sent.readerIndex() + j)) {
                        return CommandResult.checkCondition(SenseData.withInformation(
                                SenseReason.MISCOMPARE_DURING_VERIFY_OPERATION, i), expectedLength);
                    }
                }
                return CommandResult.goodWrite(expectedLength);
            } finally {
                medium.release();
            }
        });
    }

    /** PRE-FETCH: the page cache does this for us; check the range and report GOOD. */
    public static CompletionStage<CommandResult> preFetch(CommandContext c, Function<byte[], BlockRange> form) {
        BlockRange range = form.apply(c.cdb());
        if (range.exceeds(c.store().blockCount())) {
            return CommandContext.done(lbaOutOfRange());
        }
        return CommandContext.done(CommandResult.good());
    }

    private static CommandResult checkWrite(CommandContext c, BlockRange range) {
        BlockStore store = c.store();
        CommandResult invalid = check(c, range);
        if (invalid != null) {
            return invalid;
        }
        SenseReason protection = c.writeProtection();
        if (protection != null) {
            return CommandResult.checkCondition(protection);
        }
        return null;
    }

    /** The checks every block command shares: protection fields, range and transfer size. */
    private static CommandResult check(CommandContext c, BlockRange range) {
        byte[] cdb = c.cdb();
        if (range.hasFlagsByte() && (cdb[1] & PROTECT_MASK) != 0) {
            return CommandResult.invalidField(1, 7); // no protection information on Tandem's LUNs
        }
        BlockStore store = c.store();
        if (range.exceeds(store.blockCount())) {
            return lbaOutOfRange();
        }
        if (range.blocks() > BlockLimits.maximumTransferBlocks(store.blockSize())) {
            return CommandResult.invalidField(range.lengthField(), -1);
        }
        return null;
    }

    private static CommandResult lbaOutOfRange() {
        return CommandResult.checkCondition(SenseReason.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE);
    }
}
