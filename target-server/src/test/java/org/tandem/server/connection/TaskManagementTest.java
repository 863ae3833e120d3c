package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.sam.LunAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 sections 11.5 and 11.6 with SAM-5 section 7: LOGICAL UNIT RESET and the target resets abort the tasks
 * (a write waiting for its data ends without a response and gives back its command window slot) and establish a
 * unit attention, 29h/03h BUS DEVICE RESET FUNCTION OCCURRED; a function naming a LUN the target does not have is
 * answered LUN does not exist; CLEAR ACA (NormACA is 0) is not supported, TASK REASSIGN needs ErrorRecoveryLevel 2;
 * a cold reset closes the target's sessions after its response; a discovery session has no tasks to manage.
 * ABORT TASK and ABORT TASK SET, which meet CmdSN ordering, are in {@link CommandOrderingTest}.
 */
class TaskManagementTest extends ConnectionJobTestBase {

    private static TaskManagementRequest request(int function, int lun) {
        return new TaskManagementRequest(true, function, LunAddress.of(lun).field(), 0x71, Bhs.RESERVED_TAG, 1, 0, 0,
                0);
    }

    private int answer(int function, int lun) {
        return bench.answer(request(function, lun), TaskManagementResponse.class).response();
    }

    /** A WRITE (10) of one block with no immediate data: with InitialR2T=Yes it waits for an R2T's Data-Out. */
    private void writeWaitingForData(int itt) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a;
        cdb[8] = 1;
        bench.answer(new ScsiCommand(true, true, false, true, ScsiTaskAttribute.SIMPLE, 0, itt, BLOCK, 1, 0, cdb, -1,
                Unpooled.EMPTY_BUFFER), ReadyToTransfer.class);
    }

    /** TEST UNIT READY's answer: the sense key, ASC and ASCQ of its CHECK CONDITION, or "GOOD". */
    private String testUnitReady() {
        ScsiResponse r = bench.answer(new ScsiCommand(true, true, false, false, ScsiTaskAttribute.SIMPLE, 0, 0x33, 0,
                1, 0, new byte[16], -1, Unpooled.EMPTY_BUFFER), ScsiResponse.class);
        if (r.status() == 0) {
            return "GOOD";
        }
        // The data segment is SenseLength (2 bytes), then fixed-format sense data (SPC-5 section 4.4.3).
        return String.format("%x/%02x/%02x", r.data().getByte(2 + 2) & 0x0f, r.data().getByte(2 + 12) & 0xff,
                r.data().getByte(2 + 13) & 0xff);
    }

    private static final int BLOCK = ConnectionBench.BLOCK;

    @Test
    void aLogicalUnitResetEndsAWriteWaitingForDataAndLeavesAUnitAttention() throws Exception {
        open(false, 8192, 262144, 0);
        bench.clearUnitAttention();
        writeWaitingForData(0x9);
        assertThat(bench.session.window().inFlight()).isEqualTo(1);

        assertThat(answer(TaskManagementRequest.LOGICAL_UNIT_RESET, 0))
                .isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(bench.session.window().inFlight()).as("the aborted write gave back its slot").isZero();
        assertThat(testUnitReady()).as("UNIT ATTENTION, BUS DEVICE RESET FUNCTION OCCURRED").isEqualTo("6/29/03");
        assertThat(testUnitReady()).as("reported once").isEqualTo("GOOD");
    }

    @Test
    void aLunTheTargetDoesNotHaveIsAnsweredLunDoesNotExist() throws Exception {
        open(false, 8192, 262144, 0);
        for (int function : new int[] {TaskManagementRequest.LOGICAL_UNIT_RESET,
                TaskManagementRequest.ABORT_TASK_SET, TaskManagementRequest.CLEAR_TASK_SET}) {
            assertThat(answer(function, 5)).as(TaskManagement.name(function))
                    .isEqualTo(TaskManagementResponse.LUN_DOES_NOT_EXIST);
        }
    }

    @Test
    void clearAcaIsNotSupportedAndTaskReassignNeedsErrorRecoveryLevelTwo() throws Exception {
        open(false, 8192, 262144, 0);
        assertThat(answer(TaskManagementRequest.CLEAR_ACA, 0)).isEqualTo(TaskManagementResponse.FUNCTION_NOT_SUPPORTED);
        assertThat(answer(TaskManagementRequest.TASK_REASSIGN, 0))
                .isEqualTo(TaskManagementResponse.TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED);
        assertThat(answer(12, 0)).as("a function RFC 7143 does not define").isEqualTo(
                TaskManagementResponse.FUNCTION_REJECTED);
        assertThat(bench.channel.isActive()).isTrue();
    }

    @Test
    void aClearTaskSetAbortsTheLunsTasksAndTheConnectionGoesOn() throws Exception {
        open(false, 8192, 262144, 0);
        bench.clearUnitAttention();
        writeWaitingForData(0x9);
        assertThat(answer(TaskManagementRequest.CLEAR_TASK_SET, 0)).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(bench.session.window().inFlight()).isZero();
        assertThat(testUnitReady()).as("a cleared task set is no reset: no unit attention").isEqualTo("GOOD");
    }

    @Test
    void aTargetWarmResetResetsTheLunsAndKeepsTheSession() throws Exception {
        open(false, 8192, 262144, 0);
        bench.clearUnitAttention();
        writeWaitingForData(0x9);
        assertThat(answer(TaskManagementRequest.TARGET_WARM_RESET, 0))
                .isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(bench.session.window().inFlight()).isZero();
        assertThat(bench.channel.isActive()).isTrue();
        assertThat(testUnitReady()).isEqualTo("6/29/03");
    }

    @Test
    void aTargetColdResetAnswersThenClosesTheTargetsSessions() throws Exception {
        open(false, 8192, 262144, 0);
        bench.catalog.sessions().register(bench.session);
        assertThat(answer(TaskManagementRequest.TARGET_COLD_RESET, 0))
                .isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        bench.sent();
        assertThat(bench.channel.isActive()).as("closed after the response").isFalse();
    }

    @Test
    void aDiscoverySessionHasNoTasksToManage() throws Exception {
        open(true, 8192, 262144, 0);
        Reject r = bench.answer(request(TaskManagementRequest.LOGICAL_UNIT_RESET, 0), Reject.class);
        assertThat(r.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(bench.channel.isActive()).isTrue();
    }
}
