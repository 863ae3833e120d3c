package org.tandem.scsi.command;

import io.netty.buffer.ByteBuf;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** What a handler sees: the logical unit, the command, and its CDB. */
public record CommandContext(LogicalUnit unit, CommandRequest request, CommandDescriptor descriptor) {

    public byte[] cdb() {
        return request.cdb();
    }

    /** The data-out buffer; the logical unit releases it after the handler completes. */
    public ByteBuf dataOut() {
        return request.dataOut();
    }

    public static CompletionStage<CommandResult> done(CommandResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
