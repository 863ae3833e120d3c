package org.tandem.scsi.lu;

import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * What a transport finds at a LUN address (SAM-5 section 4.6): a {@link LogicalUnit}, or {@link NoLogicalUnit}
 * when no logical unit is there. Either answers every command, so the transport never checks for an absent unit.
 */
public interface ScsiDevice {

    /**
     * Executes one command. Takes ownership of the request's data-out buffer. The returned stage always completes
     * normally: failures become CHECK CONDITION (or TASK SET FULL when the I/O executor refuses work).
     */
    CompletionStage<CommandResult> execute(CommandRequest request);

    /**
     * False when no logical unit is at this address: a task management function addressed to it answers
     * LOGICAL UNIT DOES NOT EXIST (RFC 7143 section 11.6.1).
     */
    boolean exists();

    /** A logical unit reset (SAM-5 section 7.8): every I_T nexus, the requester's too, gets a unit attention. */
    void reset(SenseReason reason);
}
