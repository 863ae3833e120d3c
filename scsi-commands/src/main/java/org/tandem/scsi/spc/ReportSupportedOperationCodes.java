package org.tandem.scsi.spc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.command.CommandDescriptor;
import org.tandem.scsi.command.CommandTable;
import org.tandem.scsi.sam.CommandResult;

import java.util.concurrent.CompletionStage;

/**
 * REPORT SUPPORTED OPERATION CODES (SPC-5 section 6.35), read straight from the command table so that what is
 * reported is exactly what dispatch accepts.
 */
public final class ReportSupportedOperationCodes {
    private static final int ALL_COMMANDS = 0;
    private static final int ONE_COMMAND_NO_SA = 1;
    private static final int ONE_COMMAND_WITH_SA = 2;
    private static final int ONE_COMMAND_EITHER = 3;
    private static final int SUPPORT_NOT_SUPPORTED = 1;
    private static final int SUPPORT_STANDARD = 3;
    private static final int TIMEOUTS_DESCRIPTOR_LENGTH = 12;

    private ReportSupportedOperationCodes() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        byte[] cdb = c.cdb();
        boolean rctd = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        int opcode = Cdb.u8(cdb, 3);
        int serviceAction = Cdb.u16(cdb, 4);
        long allocationLength = Cdb.u32(cdb, 6);
        CommandTable table = c.commands();
        ByteBuf out = Unpooled.buffer();
        switch (options) {
            case ALL_COMMANDS -> {
                out.writeInt(0);
                for (CommandDescriptor d : table.all()) {
                    out.writeByte(d.opcode()).writeByte(0).writeShort(Math.max(d.serviceAction(), 0)).writeByte(0)
                            .writeByte((rctd ? 0x02 : 0) | (d.serviceAction() >= 0 ? 0x01 : 0))
                            .writeShort(d.cdbLength());
                    if (rctd) {
                        timeouts(out);
                    }
                }
                out.setInt(0, out.writerIndex() - 4);
            }
            case ONE_COMMAND_NO_SA, ONE_COMMAND_WITH_SA, ONE_COMMAND_EITHER -> {
                boolean split = table.hasServiceActions(opcode);
                if ((options == ONE_COMMAND_NO_SA && split) || (options == ONE_COMMAND_WITH_SA && !split)) {
                    out.release();
                    return CommandContext.done(CommandResult.invalidField(3, -1));
                }
                CommandDescriptor d = table.lookup(opcode, split ? serviceAction : -1);
                if (d == null) {
                    out.writeByte(0).writeByte(SUPPORT_NOT_SUPPORTED).writeShort(0);
                } else {
                    out.writeByte(0).writeByte((rctd ? 0x80 : 0) | SUPPORT_STANDARD).writeShort(d.cdbLength())
                            .writeBytes(d.usageData());
                    if (rctd) {
                        timeouts(out);
                    }
                }
            }
            default -> {
                out.release();
                return CommandContext.done(CommandResult.invalidField(2, 0));
            }
        }
        return CommandContext.done(CommandResult.good(ParameterData.truncated(out, allocationLength)));
    }

    /** Command timeouts descriptor: no timeouts are promised (zero means "not specified"). */
    private static void timeouts(ByteBuf out) {
        out.writeShort(TIMEOUTS_DESCRIPTOR_LENGTH - 2).writeZero(TIMEOUTS_DESCRIPTOR_LENGTH - 2);
    }
}
