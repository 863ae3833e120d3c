package org.tandem.scsi.lu;

import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.command.CommandTable;
import org.tandem.scsi.command.IoCall;
import org.tandem.scsi.reservation.PersistentReservations;
import org.tandem.scsi.reservation.ReservationMirror;
import org.tandem.scsi.reservation.UnitAttentions;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.scsi.sense.SenseReason;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One command's view of its logical unit: the unit's methods a handler may call, and nothing else. */
record UnitContext(LogicalUnit unit, CommandRequest request) implements CommandContext {

    @Override
    public LunIdentity identity() {
        return unit.identity();
    }

    @Override
    public BlockStore store() {
        return unit.store();
    }

    @Override
    public CommandTable commands() {
        return unit.commands();
    }

    @Override
    public UnitAttentions unitAttentions() {
        return unit.unitAttentions();
    }

    @Override
    public PersistentReservations reservations() {
        return unit.reservations();
    }

    @Override
    public ReservationMirror reservationMirror() {
        return unit.reservationMirror();
    }

    @Override
    public List<Integer> lunInventory() {
        return unit.lunInventory();
    }

    @Override
    public SenseReason writeProtection() {
        return unit.writeProtection();
    }

    @Override
    public boolean softwareWriteProtect() {
        return unit.softwareWriteProtect();
    }

    @Override
    public void softwareWriteProtect(boolean on, ItNexus changedBy) {
        unit.softwareWriteProtect(on, changedBy);
    }

    @Override
    public SenseReason notReadyReason() {
        return unit.notReadyReason();
    }

    @Override
    public <T> CompletableFuture<T> onIoExecutor(SenseReason onError, IoCall<T> call) {
        return unit.onIoExecutor(onError, call);
    }

    @Override
    public <T> T exclusively(IoCall<T> call) throws IOException {
        return unit.exclusively(call);
    }

    @Override
    public <T> T shared(IoCall<T> call) throws IOException {
        return unit.shared(call);
    }
}
