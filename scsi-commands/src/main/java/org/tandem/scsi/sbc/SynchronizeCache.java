package org.tandem.scsi.sbc;

import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * SYNCHRONIZE CACHE(10) and (16) (SBC-4 sections 5.26, 5.27). The whole store is flushed whatever the range:
 * fsync has no finer grain, and flushing more than asked is always allowed. IMMED is honoured by flushing anyway
 * before answering, which is allowed too and safer.
 */
public final class SynchronizeCache {
    private SynchronizeCache() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c, Function<byte[], BlockRange> form) {
        BlockRange range = form.apply(c.cdb());
        if (range.exceeds(c.store().blockCount())) {
            return CommandContext.done(CommandResult.checkCondition(SenseReason.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE));
        }
        return c.onIoExecutor(SenseReason.WRITE_ERROR, () -> {
            c.store().flush();
            return CommandResult.good();
        });
    }
}
