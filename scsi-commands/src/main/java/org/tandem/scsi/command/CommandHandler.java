package org.tandem.scsi.command;

import org.tandem.scsi.sam.CommandResult;

import java.util.concurrent.CompletionStage;

/** Executes one command. Fast commands complete at once; those that touch storage complete on the I/O executor. */
@FunctionalInterface
public interface CommandHandler {
    CompletionStage<CommandResult> execute(CommandContext context);
}
