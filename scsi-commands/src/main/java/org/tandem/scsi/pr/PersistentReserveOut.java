package org.tandem.scsi.pr;

import io.netty.buffer.ByteBuf;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.reservation.PersistentReservations;
import org.tandem.scsi.reservation.ReservationState;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.ScsiStatus;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * PERSISTENT RESERVE OUT (SPC-5 section 6.17): REGISTER, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT and
 * REGISTER AND IGNORE EXISTING KEY, with the basic 24-byte parameter list. SPEC_I_PT and APTPL are refused as
 * REPORT CAPABILITIES says; ALL_TG_PT is accepted (Tandem has one target port per LUN).
 */
public final class PersistentReserveOut {
    private static final Logger LOG = LogManager.getLogger(PersistentReserveOut.class);
    public static final int REGISTER = 0;
    public static final int RESERVE = 1;
    public static final int RELEASE = 2;
    public static final int CLEAR = 3;
    public static final int PREEMPT = 4;
    public static final int PREEMPT_AND_ABORT = 5;
    public static final int REGISTER_AND_IGNORE_EXISTING_KEY = 6;
    private static final int PARAMETER_LIST_LENGTH = 24;
    private static final int SPEC_I_PT = 0x08;
    private static final int APTPL = 0x01;

    private PersistentReserveOut() {
    }

    /**
     * Runs the service action; a change of the persistent state is handed to the unit's
     * {@link ReservationMirror} under the state's lock (so copies leave in the order the changes were made), and
     * the command completes GOOD only once the copy is safe.
     */
    public static CompletionStage<CommandResult> execute(CommandContext c) {
        PersistentReservations pr = c.reservations();
        CommandResult result;
        CompletionStage<Void> copied = null;
        synchronized (pr) {
            ReservationState before = pr.state();
            result = serviceAction(c);
            ReservationState after = pr.state();
            if (!after.equals(before)) {
                copied = c.reservationMirror().replicate(after);
            }
        }
        if (copied == null) {
            return CommandContext.done(result);
        }
        return copied.handle((ok, failure) -> {
            if (failure == null) {
                return result;
            }
            LOG.error("LUN {}: reservation change not confirmed by the cluster peer: {}", c.identity().lun(),
                    failure.getMessage());
            return CommandResult.checkCondition(SenseReason.INTERNAL_TARGET_FAILURE);
        });
    }

    private static CommandResult serviceAction(CommandContext c) {
        byte[] cdb = c.cdb();
        int action = Cdb.serviceAction(cdb);
        int scope = Cdb.u8(cdb, 2) >>> 4;
        int type = cdb[2] & 0x0f;
        long listLength = Cdb.u32(cdb, 5);
        ByteBuf list = c.dataOut();
        if (listLength != PARAMETER_LIST_LENGTH || list.readableBytes() < PARAMETER_LIST_LENGTH) {
            return CommandResult.checkCondition(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        int at = list.readerIndex();
        long key = list.getLong(at);
        long serviceActionKey = list.getLong(at + 8);
        int flags = list.getUnsignedByte(at + 20);
        if ((flags & SPEC_I_PT) != 0) {
            return CommandResult.checkCondition(SenseData.parameterField(
                    SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, 20, 3));
        }
        if ((flags & APTPL) != 0) {
            return CommandResult.checkCondition(SenseData.parameterField(
                    SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, 20, 0));
        }
        boolean typed = action == RESERVE || action == RELEASE || action == PREEMPT || action == PREEMPT_AND_ABORT;
        if (typed && scope != 0) {
            return CommandResult.invalidField(2, 7);
        }
        if (typed && !PersistentReservations.validType(type)) {
            return CommandResult.invalidField(2, 3);
        }
        PersistentReservations pr = c.reservations();
        ItNexus n = c.request().nexus();
        PersistentReservations.Result r = switch (action) {
            case REGISTER -> pr.register(n, key, serviceActionKey, false);
            case REGISTER_AND_IGNORE_EXISTING_KEY -> pr.register(n, key, serviceActionKey, true);
            case RESERVE -> pr.reserve(n, key, type);
            case RELEASE -> pr.release(n, key, type, c.unitAttentions());
            case CLEAR -> pr.clear(n, key, c.unitAttentions());
            case PREEMPT, PREEMPT_AND_ABORT -> pr.preempt(n, key, serviceActionKey, type, c.unitAttentions());
            default -> null;
        };
        if (r == null) {
            return CommandResult.invalidField(1, 4);
        }
        return switch (r) {
            case GOOD -> CommandResult.good();
            case RESERVATION_CONFLICT -> CommandResult.status(ScsiStatus.RESERVATION_CONFLICT);
            case INVALID_FIELD_IN_PARAMETER_LIST -> CommandResult.checkCondition(SenseData.parameterField(
                    SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, 8, -1));
            case INVALID_RELEASE -> CommandResult.checkCondition(
                    SenseReason.INVALID_RELEASE_OF_PERSISTENT_RESERVATION);
        };
    }
}
