package org.tandem.scsi.lu;

import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.scsi.spc.Inquiry;
import org.tandem.scsi.spc.ReportLuns;

import java.util.List;

/**
 * What a LUN number without a logical unit answers (SPC-5 section 4.6.5 and SAM-5 section 5.9.5): INQUIRY with
 * peripheral qualifier 3, REPORT LUNS for the target, REQUEST SENSE with LOGICAL UNIT NOT SUPPORTED in its data,
 * and CHECK CONDITION LOGICAL UNIT NOT SUPPORTED for everything else.
 */
public final class AbsentLogicalUnit {
    private static final int INQUIRY = 0x12;
    private static final int REQUEST_SENSE = 0x03;
    private static final int REPORT_LUNS = 0xa0;

    private AbsentLogicalUnit() {
    }

    public static CommandResult execute(byte[] cdb, List<Integer> targetLuns) {
        switch (cdb[0] & 0xff) {
            case INQUIRY -> {
                if ((cdb[1] & 0x01) != 0) {
                    return CommandResult.checkCondition(SenseReason.LOGICAL_UNIT_NOT_SUPPORTED);
                }
                byte[] data = Inquiry.standard();
                data[0] = 0x7f; // qualifier 3: no logical unit can be addressed here; type 1Fh
                return CommandResult.good(ParameterData.truncated(data, Cdb.u16(cdb, 3)));
            }
            case REPORT_LUNS -> {
                return ReportLuns.report(cdb, targetLuns);
            }
            case REQUEST_SENSE -> {
                byte[] sense = SenseData.of(SenseReason.LOGICAL_UNIT_NOT_SUPPORTED).toFixedFormat();
                return CommandResult.good(ParameterData.truncated(sense, Cdb.u8(cdb, 4)));
            }
            default -> {
                return CommandResult.checkCondition(SenseReason.LOGICAL_UNIT_NOT_SUPPORTED);
            }
        }
    }
}
