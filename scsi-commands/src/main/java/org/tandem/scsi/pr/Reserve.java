package org.tandem.scsi.pr;

import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ScsiStatus;

import java.util.concurrent.CompletionStage;

/**
 * RESERVE(6)/(10) and RELEASE(6)/(10) of SPC-2, which older initiators and cluster software still send: a whole
 * logical unit reserved by one I_T nexus until it releases it, loses its nexus, or the unit is reset. Third-party
 * reservations are not supported.
 */
public final class Reserve {
    private Reserve() {
    }

    public static CompletionStage<CommandResult> reserve(CommandContext c) {
        if ((c.cdb()[1] & 0x02) != 0) {
            return CommandContext.done(CommandResult.invalidField(1, 1)); // third-party (10-byte form)
        }
        boolean ok = c.reservations().reserveLegacy(c.request().nexus());
        return CommandContext.done(ok ? CommandResult.good() : CommandResult.status(ScsiStatus.RESERVATION_CONFLICT));
    }

    public static CompletionStage<CommandResult> release(CommandContext c) {
        c.reservations().releaseLegacy(c.request().nexus());
        return CommandContext.done(CommandResult.good());
    }
}
