package org.tandem.scsi.lu;

import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.scsi.spc.Inquiry;
import org.tandem.scsi.spc.ReportLuns;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What a LUN address without a logical unit answers (SPC-5 section 4.6.5 and SAM-5 section 5.9.5): INQUIRY with
 * peripheral qualifier 3, REPORT LUNS for the target, REQUEST SENSE with LOGICAL UNIT NOT SUPPORTED in its data,
 * and CHECK CONDITION LOGICAL UNIT NOT SUPPORTED for everything else. Answers at once, on the caller's thread.
 */
public final class NoLogicalUnit implements ScsiDevice {
    private static final int INQUIRY = 0x12;
    private static final int REQUEST_SENSE = 0x03;
    private static final int REPORT_LUNS = 0xa0;

    private final Supplier<List<Integer>> targetLuns;

    /** @param targetLuns the numbers of every LUN of the target, for REPORT LUNS */
    public NoLogicalUnit(Supplier<List<Integer>> targetLuns) {
        this.targetLuns = targetLuns;
    }

    /** Answers the command; the data-out buffer, which no absent unit reads, is released. */
    @Override
    public CompletionStage<CommandResult> execute(CommandRequest request) {
        request.dataOut().release();
        return CompletableFuture.completedFuture(answer(request.cdb()));
    }

    private CommandResult answer(byte[] cdb) {
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
                return ReportLuns.report(cdb, targetLuns.get());
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

    /** Always false: there is no logical unit here. */
    @Override
    public boolean exists() {
        return false;
    }

    /** Nothing to reset; a task management function never gets this far (see {@link #exists()}). */
    @Override
    public void reset(SenseReason reason) {
    }
}
