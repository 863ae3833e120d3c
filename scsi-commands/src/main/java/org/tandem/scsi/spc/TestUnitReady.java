package org.tandem.scsi.spc;

import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;

import java.util.concurrent.CompletionStage;

/** TEST UNIT READY (SPC-5 section 6.47): GOOD once unit attentions are reported; a served LUN is always ready. */
public final class TestUnitReady {
    private TestUnitReady() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        return CommandContext.done(CommandResult.good());
    }
}
