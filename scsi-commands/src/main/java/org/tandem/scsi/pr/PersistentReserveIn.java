package org.tandem.scsi.pr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.reservation.PersistentReservations;
import org.tandem.scsi.sam.CommandResult;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * PERSISTENT RESERVE IN (SPC-5 section 6.16): READ KEYS, READ RESERVATION, REPORT CAPABILITIES and READ FULL
 * STATUS.
 */
public final class PersistentReserveIn {
    private static final int PROTOCOL_ISCSI = 5;

    private PersistentReserveIn() {
    }

    public static CompletionStage<CommandResult> readKeys(CommandContext c) {
        PersistentReservations.Snapshot s = c.reservations().snapshot();
        ByteBuf out = Unpooled.buffer(8 + 8 * s.keys().size());
        out.writeInt(s.generation()).writeInt(8 * s.keys().size());
        s.keys().forEach(out::writeLong);
        return answer(c, out);
    }

    public static CompletionStage<CommandResult> readReservation(CommandContext c) {
        PersistentReservations.Snapshot s = c.reservations().snapshot();
        ByteBuf out = Unpooled.buffer(24);
        out.writeInt(s.generation());
        if (s.reservation() == null) {
            out.writeInt(0);
        } else {
            out.writeInt(16).writeLong(s.reservation().key()).writeInt(0).writeByte(0)
                    .writeByte(s.reservation().type()).writeShort(0);
        }
        return answer(c, out);
    }

    /** Capabilities: ALL_TG_PT accepted; no SPEC_I_PT, no APTPL; all six types. */
    public static CompletionStage<CommandResult> reportCapabilities(CommandContext c) {
        ByteBuf out = Unpooled.buffer(8);
        out.writeShort(8)
                .writeByte(0x10 | 0x04)              // CRH, ATP_C
                .writeByte(0x80)                     // TMV: the type mask below is valid
                .writeByte(0x80 | 0x40 | 0x20 | 0x08 | 0x02) // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX
                .writeByte(0x01)                     // EX_AC_AR
                .writeShort(0);
        return answer(c, out);
    }

    /** Every registration with its I_T nexus as an iSCSI TransportID (SPC-5 section 7.6.4.6, format 01b). */
    public static CompletionStage<CommandResult> readFullStatus(CommandContext c) {
        PersistentReservations.Snapshot s = c.reservations().snapshot();
        ByteBuf out = Unpooled.buffer();
        out.writeInt(s.generation()).writeInt(0);
        for (PersistentReservations.Registration r : s.registrations()) {
            byte[] name = r.nexus().initiatorPortName().getBytes(StandardCharsets.UTF_8);
            int padded = Math.max(20, (name.length + 1 + 3) & ~3);
            out.writeLong(r.key()).writeInt(0)
                    .writeByte(r.holdsReservation() ? 0x01 : 0)
                    .writeByte(r.holdsReservation() ? s.reservation().type() : 0)
                    .writeInt(0).writeShort(c.identity().relativePort())
                    .writeInt(4 + padded);
            out.writeByte(0x40 | PROTOCOL_ISCSI).writeByte(0).writeShort(padded);
            out.writeBytes(name).writeZero(padded - name.length);
        }
        out.setInt(4, out.writerIndex() - 8);
        return answer(c, out);
    }

    private static CompletionStage<CommandResult> answer(CommandContext c, ByteBuf out) {
        return CommandContext.done(CommandResult.good(ParameterData.truncated(out, Cdb.u16(c.cdb(), 7))));
    }
}
