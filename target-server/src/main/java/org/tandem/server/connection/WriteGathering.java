package org.tandem.server.connection;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sbc.BlockLimits;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.task.ScsiTask;

/**
 * The data of SCSI commands that write (RFC 7143 sections 4.2.3.4, 11.7 and 11.8): immediate data within
 * FirstBurstLength when ImmediateData=Yes, unsolicited Data-Out up to FirstBurstLength when InitialR2T=No, and the
 * rest asked for by R2Ts of at most MaxBurstLength, MaxOutstandingR2T at a time. Each Data-Out must fit its task
 * (tag, offset, DataSN, length); one that does not fails its task alone with the sense SAM-5 gives. A task whose
 * data is all in goes to the {@link TaskSet} to execute. Used on the connection's event loop.
 */
final class WriteGathering {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);
    private static final int RESERVED = Bhs.RESERVED_TAG;
    /** A write larger than this is refused before any data is asked for: it could never be executed. */
    private static final int MAX_WRITE_BYTES = BlockLimits.MAXIMUM_TRANSFER_BYTES;

    private final ConnectionContext connection;
    private final TaskSet tasks;
    private final RejectSender rejects;

    WriteGathering(ConnectionContext connection, TaskSet tasks, RejectSender rejects) {
        this.connection = connection;
        this.tasks = tasks;
        this.rejects = rejects;
    }

    /** A new task: executes it when it carries no data-out phase, else checks its immediate data and asks for more. */
    void start(ScsiTask task) {
        ScsiCommand c = task.command();
        SessionParameters p = connection.parameters();
        int edtl = c.expectedDataTransferLength();
        int immediateLength = c.data().readableBytes();
        if (!c.write() || edtl == 0) {
            if (immediateLength > 0) {
                rejects.reject(c, RejectReason.PROTOCOL_ERROR, "data with a command that has no data-out phase");
                tasks.fail(task);
                return;
            }
            tasks.execute(task);
            return;
        }
        if (immediateLength > 0 && !p.immediateData()) {
            rejects.reject(c, RejectReason.PROTOCOL_ERROR, "immediate data although ImmediateData=No");
            tasks.fail(task);
            return;
        }
        int unsolicitedLimit = p.initialR2T() ? immediateLength : Math.min(p.firstBurstLength(), edtl);
        if (immediateLength > Math.min(p.firstBurstLength(), edtl)) {
            rejects.reject(c, RejectReason.PROTOCOL_ERROR,
                    "immediate data beyond FirstBurstLength or the expected length");
            tasks.fail(task);
            return;
        }
        if (edtl > MAX_WRITE_BYTES) {
            // Never gather more than one command may carry; answer before asking for any data.
            tasks.finish(task, CommandResult.checkCondition(SenseData.of(SenseReason.INVALID_FIELD_IN_CDB)));
            return;
        }
        if (immediateLength > 0) {
            task.append(c.data().retain());
        }
        task.unsolicited(unsolicitedLimit, !c.finalFlag() && !p.initialR2T() && immediateLength < unsolicitedLimit);
        task.startR2tsAt(immediateLength);
        continueWrite(task);
    }

    /** A Data-Out PDU (RFC 7143 section 11.7): appended to its task, or the reason it does not fit. */
    void dataOut(DataOut d) {
        ScsiTask task = tasks.get(d.initiatorTaskTag());
        if (task == null || task.aborted() || task.executing()) {
            return; // data for a task that ended or was aborted (FastAbort): drop it, RFC 7143 section 4.2.3.4
        }
        SenseReason error = dataOutError(task, d);
        if (error != null) {
            // The task cannot complete, but the connection is sound: fail the task alone, as a value, and drop
            // whatever else the initiator sends for it (RFC 7143 section 7.1.1, SAM-5's ABORTED COMMAND).
            LOG.warn("{}: Data-Out for ITT 0x{} (DataSN {}, offset {}, length {}, TTT 0x{}) does not fit the task"
                            + " (received {} of {}): {}", connection.describe(),
                    Integer.toHexString(d.initiatorTaskTag()), d.dataSn(), d.bufferOffset(), d.data().readableBytes(),
                    Integer.toHexString(d.targetTransferTag()), task.received(), task.expectedLength(), error);
            task.abortData();
            tasks.finish(task, CommandResult.checkCondition(error));
            return;
        }
        int length = d.data().readableBytes();
        boolean unsolicited = d.targetTransferTag() == RESERVED;
        if (length > 0) {
            task.append(d.data().retain());
        }
        if (d.finalFlag()) {
            if (unsolicited) {
                // The initiator may end unsolicited data short of FirstBurstLength: R2Ts ask for the rest.
                task.closeUnsolicited();
                task.startR2tsAt(task.received());
            } else {
                task.r2tAnswered();
            }
        }
        continueWrite(task);
    }

    /** Why a Data-Out does not fit its task, or null when it does. */
    private static SenseReason dataOutError(ScsiTask task, DataOut d) {
        int length = d.data().readableBytes();
        boolean unsolicited = d.targetTransferTag() == RESERVED;
        if (!unsolicited && d.targetTransferTag() != task.targetTransferTag()) {
            return SenseReason.INVALID_TARGET_PORT_TRANSFER_TAG_RECEIVED;
        }
        if (task.received() + length > task.expectedLength()
                || (unsolicited && (!task.unsolicitedOpen() || task.received() + length > task.unsolicitedLimit()))) {
            return SenseReason.TOO_MUCH_WRITE_DATA;
        }
        if (d.bufferOffset() != task.received()) {
            return SenseReason.DATA_OFFSET_ERROR;
        }
        if (!task.acceptDataSn(d.dataSn(), d.finalFlag())) {
            return SenseReason.DATA_PHASE_ERROR;
        }
        return null;
    }

    /** Executes the write once all data is in; otherwise asks for more with R2Ts, up to MaxOutstandingR2T. */
    private void continueWrite(ScsiTask task) {
        if (task.allDataReceived()) {
            tasks.execute(task);
            return;
        }
        if (task.unsolicitedOpen()) {
            return;
        }
        boolean sent = false;
        while (task.outstandingR2ts() < connection.parameters().maxOutstandingR2T()
                && task.nextR2tOffset() < task.expectedLength()) {
            int offset = task.nextR2tOffset();
            int length = Math.min(connection.parameters().maxBurstLength(), task.expectedLength() - offset);
            int r2tSn = task.issueR2t(length);
            connection.ctx().write(new ReadyToTransfer(task.command().logicalUnitNumber(),
                    task.initiatorTaskTag(), task.targetTransferTag(), connection.currentStatSn(),
                    connection.window().expCmdSn(), connection.window().maxCmdSn(), r2tSn, offset, length));
            sent = true;
        }
        if (sent) {
            connection.ctx().flush();
        }
    }
}
