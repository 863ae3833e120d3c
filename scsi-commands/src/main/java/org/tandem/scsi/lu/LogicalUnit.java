package org.tandem.scsi.lu;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.command.CommandDescriptor;
import org.tandem.scsi.command.CommandTable;
import org.tandem.scsi.command.IoCall;
import org.tandem.scsi.reservation.PersistentReservations;
import org.tandem.scsi.reservation.ReservationMirror;
import org.tandem.scsi.reservation.UnitAttentions;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.scsi.sam.ScsiStatus;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.scsi.stats.IoStatistics;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A SCSI logical unit: its identity, its store, the unit attentions and reservations it keeps per I_T nexus, and
 * the dispatch of each command through the {@link CommandTable}. Commands that touch storage run on the I/O
 * executor; {@link #execute} never blocks.
 */
public final class LogicalUnit implements ScsiDevice, AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LogicalUnit.class);
    private static final int CONTROL_NACA = 0x04;

    private final LunIdentity identity;
    private final BlockStore store;
    private final Executor ioExecutor;
    private final CommandTable commands;
    private final Supplier<List<Integer>> lunInventory;
    private final UnitAttentions unitAttentions = new UnitAttentions();
    private final PersistentReservations reservations = new PersistentReservations();
    private volatile ReservationMirror reservationMirror = ReservationMirror.NONE;
    private volatile boolean softwareWriteProtect;
    private final IoStatistics statistics = new IoStatistics();
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Completed, and cleared, by the command that brings {@link #inFlight} to 0; null while nobody waits. */
    private final AtomicReference<CompletableFuture<Void>> drainWaiters = new AtomicReference<>();
    private volatile long lastMediumAccessNanos = System.nanoTime() - TimeUnit.DAYS.toNanos(1);
    /** Why the unit refuses commands while offline (a NOT READY reason), or null when online. */
    private volatile SenseReason notReady;
    /** Ordinary writes share it; COMPARE AND WRITE holds it alone, which makes it atomic against them. */
    private final ReadWriteLock writeLock = new ReentrantReadWriteLock();

    /**
     * @param lunInventory the numbers of every LUN of this unit's target, for REPORT LUNS
     */
    public LogicalUnit(LunIdentity identity, BlockStore store, Executor ioExecutor, CommandTable commands,
                       Supplier<List<Integer>> lunInventory) {
        this.identity = identity;
        this.store = store;
        this.ioExecutor = ioExecutor;
        this.commands = commands;
        this.lunInventory = lunInventory;
    }

    public LunIdentity identity() {
        return identity;
    }

    public BlockStore store() {
        return store;
    }

    public CommandTable commands() {
        return commands;
    }

    public UnitAttentions unitAttentions() {
        return unitAttentions;
    }

    /** Where reservation changes are copied before their command completes (the cluster's peer, if any). */
    public ReservationMirror reservationMirror() {
        return reservationMirror;
    }

    public void reservationMirror(ReservationMirror mirror) {
        this.reservationMirror = mirror;
    }

    public PersistentReservations reservations() {
        return reservations;
    }

    public List<Integer> lunInventory() {
        return lunInventory.get();
    }

    /**
     * Executes one command. Takes ownership of the request's data-out buffer. The returned stage always completes
     * normally: failures become CHECK CONDITION (or TASK SET FULL when the I/O executor refuses work).
     */
    @Override
    public CompletionStage<CommandResult> execute(CommandRequest request) {
        long start = System.nanoTime();
        CommandDescriptor descriptor = commands.lookup(request.cdb());
        IoStatistics.Kind kind = descriptor == null ? IoStatistics.Kind.OTHER : descriptor.statisticsKind();
        long written = request.dataOut().readableBytes();
        inFlight.incrementAndGet();
        CompletionStage<CommandResult> result;
        try {
            result = dispatch(request, descriptor);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((r, error) -> {
            request.dataOut().release();
            CommandResult done = error == null ? r : failure(request, error);
            long end = System.nanoTime();
            boolean failed = done.status() != ScsiStatus.GOOD;
            long bytes = failed ? 0 : kind == IoStatistics.Kind.READ ? done.dataIn().readableBytes() : written;
            statistics.record(kind, bytes, failed, end - start);
            if (kind != IoStatistics.Kind.OTHER) {
                lastMediumAccessNanos = end;
            }
            if (inFlight.decrementAndGet() == 0) {
                completeDrained();
            }
            return done;
        });
    }

    private CompletionStage<CommandResult> dispatch(CommandRequest request, CommandDescriptor descriptor) {
        byte[] cdb = request.cdb();
        if (descriptor == null) {
            int field = commands.hasServiceActions(request.opcode()) ? 1 : 0;
            return CommandContext.done(CommandResult.checkCondition(field == 0
                    ? SenseData.of(SenseReason.INVALID_COMMAND_OPERATION_CODE)
                    : SenseData.cdbField(SenseReason.INVALID_FIELD_IN_CDB, 1, 4)));
        }
        int control = descriptor.cdbLength() - 1;
        if (control < cdb.length && (cdb[control] & CONTROL_NACA) != 0) {
            // Tandem does not support ACA (NormACA = 0 in INQUIRY), so NACA = 1 is an invalid field.
            return CommandContext.done(CommandResult.invalidField(control, 2));
        }
        if (!descriptor.reportsPastUnitAttention()) {
            SenseReason attention = unitAttentions.poll(request.nexus());
            if (attention != null) {
                return CommandContext.done(CommandResult.checkCondition(attention));
            }
        }
        SenseReason offline = notReady;
        if (offline != null && !descriptor.reportsPastUnitAttention() && !descriptor.answersWhileNotReady()) {
            // Offline: INQUIRY, REPORT LUNS and REQUEST SENSE still answer, so the initiator keeps the device.
            return CommandContext.done(CommandResult.checkCondition(offline));
        }
        if (reservations.conflicts(request.nexus(), descriptor.reservationRule())) {
            return CommandContext.done(CommandResult.status(ScsiStatus.RESERVATION_CONFLICT));
        }
        return descriptor.handler().execute(new UnitContext(this, request));
    }

    private CommandResult failure(CommandRequest request, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof RejectedExecutionException) {
            return CommandResult.status(ScsiStatus.TASK_SET_FULL);
        }
        if (cause instanceof StorageFailure f) {
            LOG.error("I/O error on LUN {} of {} ({}) for opcode 0x{}: {}", identity.lun(), identity.targetName(),
                    store.describe(), Integer.toHexString(request.opcode()), f.getCause().toString());
            return CommandResult.checkCondition(f.reason());
        }
        LOG.error("internal failure on LUN {} of {} for opcode 0x{}", identity.lun(), identity.targetName(),
                Integer.toHexString(request.opcode()), cause);
        return CommandResult.checkCondition(SenseReason.LOGICAL_UNIT_COMMUNICATION_FAILURE);
    }

    /**
     * Runs blocking storage work on the I/O executor. An IOException becomes CHECK CONDITION with
     * {@code onError} (a medium error of the right kind for reads or writes) and one log line.
     */
    public <T> CompletableFuture<T> onIoExecutor(SenseReason onError, IoCall<T> call) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (IOException e) {
                throw new StorageFailure(onError, e);
            }
        }, ioExecutor);
    }

    /** Runs storage work that must not interleave with any write (on an I/O thread, never an event loop). */
    public <T> T exclusively(IoCall<T> call) throws IOException {
        writeLock.writeLock().lock();
        try {
            return call.call();
        } finally {
            writeLock.writeLock().unlock();
        }
    }

    /** Runs an ordinary write: many may run at once, but not during {@link #exclusively}. */
    public <T> T shared(IoCall<T> call) throws IOException {
        writeLock.readLock().lock();
        try {
            return call.call();
        } finally {
            writeLock.readLock().unlock();
        }
    }

    /** An I/O error with the sense reason it is reported as. */
    private static final class StorageFailure extends RuntimeException {
        private final SenseReason reason;

        StorageFailure(SenseReason reason, IOException cause) {
            super(cause.getMessage(), cause, false, false);
            this.reason = reason;
        }

        SenseReason reason() {
            return reason;
        }
    }

    /** Always true: a logical unit is at this address. */
    @Override
    public boolean exists() {
        return true;
    }

    /** A logical unit reset (SAM-5 section 7.8): every I_T nexus, the requester's too, gets a unit attention. */
    @Override
    public void reset(SenseReason reason) {
        unitAttentions.establishForAll(reason, null);
        reservations.releaseLegacyOnReset(null);
    }

    /**
     * Another I_T nexus's CLEAR TASK SET aborted tasks of {@code nexus}; with TAS 0 they get no response, so the
     * nexus is told by a unit attention (SAM-5 section 5.6).
     */
    public void commandsCleared(ItNexus nexus) {
        unitAttentions.establish(nexus, SenseReason.COMMANDS_CLEARED_BY_ANOTHER_INITIATOR);
    }

    /** An I_T nexus ended (logout or connection loss): its SPC-2 reservation goes with it (SPC-2 section 5.5.1). */
    public void nexusLost(ItNexus nexus) {
        reservations.releaseLegacyOnReset(nexus);
    }

    /** The SWP bit of the Control mode page: when set, the medium refuses writes (SBC-4 section 4.11). */
    public boolean softwareWriteProtect() {
        return softwareWriteProtect;
    }

    /** Sets SWP (MODE SELECT) and tells the other nexuses that mode parameters changed. */
    public void softwareWriteProtect(boolean on, ItNexus changedBy) {
        if (softwareWriteProtect != on) {
            softwareWriteProtect = on;
            unitAttentions.establishForAll(SenseReason.MODE_PARAMETERS_CHANGED, changedBy);
        }
    }

    /** The sense reason a write meets now, or null when the medium accepts writes. */
    public SenseReason writeProtection() {
        if (store.readOnly()) {
            return SenseReason.WRITE_PROTECTED;
        }
        return softwareWriteProtect ? SenseReason.SOFTWARE_WRITE_PROTECTED : null;
    }

    public IoStatistics statistics() {
        return statistics;
    }

    /** Commands accepted and not yet completed. */
    public int commandsInFlight() {
        return inFlight.get();
    }

    /**
     * Completes when no command is in flight: at once if none is, else when the last one running completes. Call
     * it once the unit takes no new work (offline or standby, or removed from its target), or new commands may keep
     * it waiting; INQUIRY, REPORT LUNS and REQUEST SENSE still run while offline, and count. Never completes
     * exceptionally by itself: the caller bounds the wait ({@link CompletableFuture#orTimeout}), which affects only
     * the future it was given.
     */
    public CompletableFuture<Void> drained() {
        if (inFlight.get() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> shared = drainWaiters.updateAndGet(w -> w != null ? w : new CompletableFuture<>());
        if (inFlight.get() == 0) {
            completeDrained(); // the last command completed between the first check and the waiter's creation
        }
        return shared.copy();
    }

    private void completeDrained() {
        CompletableFuture<Void> waiting = drainWaiters.getAndSet(null);
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** Nanoseconds since the last read or write of the medium completed (large when there never was one). */
    public long nanosSinceMediumAccess() {
        return System.nanoTime() - lastMediumAccessNanos;
    }

    /** Why the unit answers NOT READY now (standby, transition, administratively offline), or null if online. */
    public SenseReason notReadyReason() {
        return notReady;
    }

    public boolean online() {
        return notReady == null;
    }

    /**
     * Takes the unit offline: every command but INQUIRY, REPORT LUNS and REQUEST SENSE gets CHECK CONDITION with
     * {@code reason} (a NOT READY sense) until {@link #bringOnline()}. Commands already running finish.
     */
    public void takeOffline(SenseReason reason) {
        notReady = reason;
    }

    public void bringOnline() {
        notReady = null;
    }

    /**
     * Changes the capacity (waits for writes under way, on the caller's thread: never an event loop) and gives
     * every I_T nexus the CAPACITY DATA HAS CHANGED unit attention (SBC-4 section 4.7). Returns the new block count.
     */
    /**
     * Takes the size the medium has now (grown behind this unit's back: by the other server of a pair, or a DRBD
     * device after lvextend), with CAPACITY DATA HAS CHANGED to every nexus if it changed. A cluster node does
     * this before a group's LUNs go online, so the survivor never presents a stale capacity.
     */
    public long rescan() throws IOException {
        long medium = store.mediumBlocks();
        return medium == store.blockCount() ? medium : resize(medium);
    }

    public long resize(long blocks) throws IOException {
        long before = store.blockCount();
        long after = exclusively(() -> store.resize(blocks));
        if (after != before) {
            unitAttentions.establishForAll(SenseReason.CAPACITY_DATA_HAS_CHANGED, null);
            LOG.info("LUN {} of {} resized from {} to {} blocks", identity.lun(), identity.targetName(), before,
                    after);
        }
        return after;
    }

    /** The target's LUN inventory changed: every I_T nexus gets REPORTED LUNS DATA HAS CHANGED (SPC-5 6.37). */
    public void reportedLunsChanged() {
        unitAttentions.establishForAll(SenseReason.REPORTED_LUNS_DATA_HAS_CHANGED, null);
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
