package org.tandem.scsi.pr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.scsi.command.Cdb;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.command.ParameterData;
import org.tandem.scsi.lu.CommandResult;

import java.util.concurrent.CompletionStage;

/** PERSISTENT RESERVE IN (SPC-5 section 6.16): READ KEYS, READ RESERVATION and REPORT CAPABILITIES. */
public final class PersistentReserveIn {
    private PersistentReserveIn() {
    }

    public static CompletionStage<CommandResult> readKeys(CommandContext c) {
        PersistentReservations.Snapshot s = c.unit().reservations().snapshot();
        ByteBuf out = Unpooled.buffer(8 + 8 * s.keys().size());
        out.writeInt(s.generation()).writeInt(8 * s.keys().size());
        s.keys().forEach(out::writeLong);
        return answer(c, out);
    }

    public static CompletionStage<CommandResult> readReservation(CommandContext c) {
        PersistentReservations.Snapshot s = c.unit().reservations().snapshot();
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

    public static CompletionStage<CommandResult> reportCapabilities(CommandContext c) {
        ByteBuf out = Unpooled.buffer(8);
        // LENGTH 8; no capabilities yet: PERSISTENT RESERVE OUT arrives with the full command set.
        out.writeShort(8).writeByte(0).writeByte(0).writeShort(0).writeShort(0);
        return answer(c, out);
    }

    private static CompletionStage<CommandResult> answer(CommandContext c, ByteBuf out) {
        return CommandContext.done(CommandResult.good(ParameterData.truncated(out, Cdb.u16(c.cdb(), 7))));
    }
}
