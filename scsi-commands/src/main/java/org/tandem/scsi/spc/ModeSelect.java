package org.tandem.scsi.spc;

import io.netty.buffer.ByteBuf;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * MODE SELECT(6) and (10) (SPC-5 sections 6.11, 6.12). Pages come back as MODE SENSE reported them; a field may
 * differ from the current value only where the changeable mask allows (today SWP of the Control page). Saving
 * pages (SP) is not supported.
 */
public final class ModeSelect {
    private ModeSelect() {
    }

    public static CompletionStage<CommandResult> execute6(CommandContext c) {
        return CommandContext.done(select(c, false));
    }

    public static CompletionStage<CommandResult> execute10(CommandContext c) {
        return CommandContext.done(select(c, true));
    }

    private static CommandResult select(CommandContext c, boolean ten) {
        byte[] cdb = c.cdb();
        if ((cdb[1] & 0x01) != 0) {
            return CommandResult.invalidField(1, 0); // SP: Tandem keeps no saved pages
        }
        long length = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        ByteBuf list = c.dataOut();
        if (list.readableBytes() < length) {
            return CommandResult.checkCondition(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        int header = ten ? 8 : 4;
        if (length < header) {
            return length == 0 ? CommandResult.good()
                    : CommandResult.checkCondition(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
        }
        int base = list.readerIndex();
        int descriptors = ten ? list.getUnsignedShort(base + 6) : list.getUnsignedByte(base + 3);
        int at = header + descriptors;
        Boolean newSwp = null;
        while (at < length) {
            if (length - at < 2) {
                return CommandResult.checkCondition(SenseReason.PARAMETER_LIST_LENGTH_ERROR);
            }
            int code = list.getUnsignedByte(base + at) & 0x3f;
            boolean subpageFormat = (list.getUnsignedByte(base + at) & 0x40) != 0;
            int pageLength = list.getUnsignedByte(base + at + 1) + 2;
            byte[] current = subpageFormat ? null : ModeSense.page(code, ModeSense.PC_CURRENT, c);
            if (current == null || current.length != pageLength || at + pageLength > length) {
                return CommandResult.checkCondition(SenseData.parameterField(
                        SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, at, -1));
            }
            byte[] changeable = ModeSense.page(code, ModeSense.PC_CHANGEABLE, c);
            for (int i = 2; i < pageLength; i++) {
                int sent = list.getUnsignedByte(base + at + i);
                if (((sent ^ current[i]) & ~changeable[i] & 0xff) != 0) {
                    return CommandResult.checkCondition(SenseData.parameterField(
                            SenseReason.INVALID_FIELD_IN_PARAMETER_LIST, at + i, -1));
                }
            }
            if (code == ModeSense.PAGE_CONTROL) {
                newSwp = (list.getUnsignedByte(base + at + 4) & ModeSense.CONTROL_SWP) != 0;
            }
            at += pageLength;
        }
        if (newSwp != null) {
            c.softwareWriteProtect(newSwp, c.request().nexus());
        }
        return CommandResult.good();
    }
}
