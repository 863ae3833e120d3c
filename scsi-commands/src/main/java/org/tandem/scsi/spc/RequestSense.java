package org.tandem.scsi.spc;

import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * REQUEST SENSE (SPC-5 section 6.39): returns, and so clears, the oldest pending unit attention of the nexus;
 * otherwise NO SENSE. Always fixed format (allowed when descriptor format is not supported).
 */
public final class RequestSense {
    private RequestSense() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        int allocationLength = Cdb.u8(c.cdb(), 4);
        SenseReason pending = c.unitAttentions().poll(c.request().nexus());
        SenseData sense = SenseData.of(pending != null ? pending : SenseReason.NO_ADDITIONAL_SENSE);
        return CommandContext.done(CommandResult.good(ParameterData.truncated(sense.toFixedFormat(),
                allocationLength)));
    }
}
