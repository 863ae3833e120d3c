package org.tandem.scsi.spc;

import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.LunAddress;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** REPORT LUNS (SPC-5 section 6.33): the target's logical units, addressed as in SAM-5 section 4.7. */
public final class ReportLuns {
    private ReportLuns() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        return CommandContext.done(report(c.cdb(), c.lunInventory()));
    }

    /** Also answers for LUN numbers that have no unit behind them (REPORT LUNS may go to any LUN). */
    public static CommandResult report(byte[] cdb, List<Integer> luns) {
        int selectReport = Cdb.u8(cdb, 2);
        long allocationLength = Cdb.u32(cdb, 6);
        if (selectReport > 2) {
            return CommandResult.invalidField(2, -1);
        }
        if (allocationLength < 16) {
            return CommandResult.invalidField(6, -1);
        }
        byte[] d = new byte[8 + 8 * luns.size()];
        Inquiry.putInt(d, 0, 8L * luns.size(), 4);
        for (int i = 0; i < luns.size(); i++) {
            long lun = LunAddress.of(luns.get(i)).field();
            Inquiry.putInt(d, 8 + 8 * i, lun, 8);
        }
        return CommandResult.good(ParameterData.truncated(d, allocationLength));
    }
}
