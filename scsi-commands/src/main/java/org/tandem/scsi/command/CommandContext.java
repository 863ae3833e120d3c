package org.tandem.scsi.command;

import io.netty.buffer.ByteBuf;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.reservation.PersistentReservations;
import org.tandem.scsi.reservation.ReservationMirror;
import org.tandem.scsi.reservation.UnitAttentions;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.scsi.sense.SenseReason;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a command handler sees of the logical unit it runs on: the command, and exactly the parts of the unit
 * that the SPC-5, SBC-4 and persistent reservation handlers read or change. Handlers never see the logical unit
 * itself, so they cannot reach its dispatch, its statistics or its life cycle.
 */
public interface CommandContext {

    /** The command: its I_T nexus, its CDB and its data-out buffer. */
    CommandRequest request();

    default byte[] cdb() {
        return request().cdb();
    }

    /** The data-out buffer; the logical unit releases it after the handler completes. */
    default ByteBuf dataOut() {
        return request().dataOut();
    }

    /** The unit's names and designators (INQUIRY, REPORT TARGET PORT GROUPS). */
    LunIdentity identity();

    /** The medium. Blocking calls belong in {@link #onIoExecutor}. */
    BlockStore store();

    /** The unit's command table (REPORT SUPPORTED OPERATION CODES reports exactly what dispatch accepts). */
    CommandTable commands();

    /** The unit attention conditions pending per I_T nexus (SAM-5 section 5.14). */
    UnitAttentions unitAttentions();

    /** The unit's persistent and SPC-2 reservations (SPC-5 section 5.14). */
    PersistentReservations reservations();

    /** Where reservation changes are copied before their command completes. */
    ReservationMirror reservationMirror();

    /** The numbers of every LUN of the unit's target, for REPORT LUNS. */
    List<Integer> lunInventory();

    /** The sense reason a write meets now, or null when the medium accepts writes. */
    SenseReason writeProtection();

    /** The SWP bit of the Control mode page (SBC-4 section 4.11). */
    boolean softwareWriteProtect();

    /** Sets SWP (MODE SELECT); the I_T nexuses other than {@code changedBy} get MODE PARAMETERS CHANGED. */
    void softwareWriteProtect(boolean on, ItNexus changedBy);

    /** Why the unit answers NOT READY now (standby, transition, offline), or null when it is online. */
    SenseReason notReadyReason();

    /**
     * Runs blocking storage work on the I/O executor. An IOException becomes CHECK CONDITION with
     * {@code onError} (a medium error of the right kind for reads or writes).
     */
    <T> CompletableFuture<T> onIoExecutor(SenseReason onError, IoCall<T> call);

    /** Runs storage work that must not interleave with any write (on an I/O thread, never an event loop). */
    <T> T exclusively(IoCall<T> call) throws IOException;

    /** Runs an ordinary write: many may run at once, but not during {@link #exclusively}. */
    <T> T shared(IoCall<T> call) throws IOException;

    static CompletionStage<CommandResult> done(CommandResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
