package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command path of one connection on an EmbeddedChannel, storage I/O on the calling thread: commands reach the
 * SCSI layer in CmdSN order (RFC 7143 section 3.2.2.1), ABORT TASK of a command never received fills its CmdSN
 * (section 11.6.1), PDUs outside the window are ignored, and held buffers are released when the connection closes.
 */
class CommandOrderingTest extends OrderingChannelsBase {
    @Test
    void aCommandAfterAGapWaitsAndTheTwoWritesLandInCmdSnOrder() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, first + 1, pattern('B')));
        assertThat(answered(ch)).as("nothing answers CmdSN %d before %d arrives", first + 1, first).isEmpty();
        assertThat(session.window().expCmdSn()).isEqualTo(first);

        ch.writeInbound(write(0xa, first, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa, 0xb);
        assertThat(session.window().expCmdSn()).isEqualTo(first + 2);
        assertThat(readBack(ch, 0xc)).isEqualTo(pattern('B'));
    }

    @Test
    void immediateCommandsDoNotWaitForTheGap() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, first + 1, pattern('B')));
        assertThat(readBack(ch, 0x1)).as("an immediate READ runs while CmdSN %d is missing", first)
                .isEqualTo(new byte[BLOCK]);
        assertThat(session.window().expCmdSn()).isEqualTo(first);
    }

    @Test
    void pdusOutsideTheWindowAndDuplicatesAreIgnoredSilently() throws Exception {
        EmbeddedChannel ch = connect(true);
        ByteBuf beyond = Unpooled.wrappedBuffer(pattern('X'));
        ch.writeInbound(write(0x1, first + DEPTH, beyond, BLOCK, true)); // MaxCmdSN is first + DEPTH - 1
        ch.writeInbound(write(0x2, first - 1, pattern('Y')));
        assertThat(answered(ch)).isEmpty();
        assertThat(beyond.refCnt()).as("an ignored PDU is released").isZero();

        ch.writeInbound(write(0x3, first, pattern('A')));
        ch.writeInbound(write(0x4, first, pattern('Z'))); // duplicate
        assertThat(answered(ch)).containsExactly(0x3);
        assertThat(session.window().expCmdSn()).isEqualTo(first + 1);
        assertThat(readBack(ch, 0x5)).isEqualTo(pattern('A'));
    }

    @Test
    void abortTaskOfACommandNeverReceivedAnswersFunctionCompleteAndTheLateCommandNeverRuns() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, first + 1, pattern('B')));
        // The initiator gave up on 0xa (CmdSN first), which the target never saw.
        ch.writeInbound(abortTask(true, 0x77, 0xa, first + 2, first));
        List<IscsiPdu> out = sent(ch);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(ScsiResponse.class);
        assertThat(out.get(0).initiatorTaskTag()).as("the held write runs once the gap is filled").isEqualTo(0xb);
        TaskManagementResponse r = (TaskManagementResponse) out.get(1);
        assertThat(r.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(r.expCmdSn()).isEqualTo(first + 2);
        out.forEach(IscsiPdu::release);

        ByteBuf late = Unpooled.wrappedBuffer(pattern('A'));
        ch.writeInbound(write(0xa, first, late, BLOCK, true));
        assertThat(answered(ch)).as("the aborted command arriving late gets no answer").isEmpty();
        assertThat(late.refCnt()).isZero();
        assertThat(readBack(ch, 0xc)).as("and did not run").isEqualTo(pattern('B'));
    }

    @Test
    void aNonImmediateAbortTaskBehindTheGapFillsItToo() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(abortTask(false, 0x77, 0xa, first + 1, first));
        TaskManagementResponse r = tmfResponse(ch);
        assertThat(r.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(r.expCmdSn()).isEqualTo(first + 2);
    }

    @Test
    void abortTaskOfATaskAlreadyAnsweredIsTaskDoesNotExist() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xa, first, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa);
        // RefCmdSN is below ExpCmdSN now: outside the window, RFC 7143 section 11.6.1 case c.
        ch.writeInbound(abortTask(true, 0x77, 0xa, first + 1, first));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.TASK_DOES_NOT_EXIST);
        // RefCmdSN not below the request's own CmdSN: not case b either.
        ch.writeInbound(abortTask(true, 0x78, 0xd, first + 1, first + 1));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.TASK_DOES_NOT_EXIST);
        assertThat(session.window().expCmdSn()).isEqualTo(first + 1);
    }

    @Test
    void abortTaskOfAHeldCommandDropsItBeforeItRuns() throws Exception {
        EmbeddedChannel ch = connect(true);
        ByteBuf data = Unpooled.wrappedBuffer(pattern('B'));
        ch.writeInbound(write(0xb, first + 1, data, BLOCK, true));
        ch.writeInbound(abortTask(true, 0x77, 0xb, first + 2, first + 1));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(data.refCnt()).isZero();
        ch.writeInbound(write(0xa, first, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa);
        assertThat(session.window().expCmdSn()).as("the aborted command's CmdSN counts as received")
                .isEqualTo(first + 2);
        assertThat(readBack(ch, 0xc)).isEqualTo(pattern('A'));
    }

    private static TaskManagementRequest abortTaskSet(boolean immediate, int itt, int cmdSn) {
        return new TaskManagementRequest(immediate, TaskManagementRequest.ABORT_TASK_SET, 0, itt, Bhs.RESERVED_TAG,
                cmdSn, 0, 0, 0);
    }

    @Test
    void anImmediateAbortTaskSetAlsoAbortsCommandsWaitingForTheirTurn() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        ByteBuf onA = Unpooled.wrappedBuffer(pattern('B'));
        ByteBuf onB = Unpooled.wrappedBuffer(pattern('C'));
        a.writeInbound(write(0xb, first + 1, onA, BLOCK, true));
        b.writeInbound(write(0xc, first + 2, onB, BLOCK, true));
        a.writeInbound(abortTaskSet(true, 0x77, first + 3));
        b.runPendingTasks(); // B's loop: its waiting command goes, then the function's aborts there
        assertThat(tmfResponse(a).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(onA.refCnt()).isZero();
        assertThat(onB.refCnt()).as("also on the session's other connection").isZero();

        a.writeInbound(read(0xa, first, false));
        assertThat(answered(a)).as("the aborted writes never answer").containsExactly(0xa);
        assertThat(answered(b)).isEmpty();
        assertThat(session.window().expCmdSn()).isEqualTo(first + 3);
        assertThat(readBack(a, 0xd)).isEqualTo(new byte[BLOCK]);
    }

    @Test
    void aNonImmediateAbortTaskSetSparesCommandsNumberedAfterIt() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xc, first + 2, pattern('C')));
        ch.writeInbound(abortTaskSet(false, 0x77, first + 1));
        assertThat(sent(ch)).isEmpty();
        ch.writeInbound(write(0xa, first, pattern('A')));
        List<IscsiPdu> out = sent(ch);
        // A, numbered before the function, was still in the task set (its response not sent yet) and is aborted;
        // C, numbered after it, reaches the SCSI layer after the function and runs (responses may cross).
        assertThat(out).extracting(IscsiPdu::initiatorTaskTag).containsExactlyInAnyOrder(0x77, 0xc);
        out.forEach(IscsiPdu::release);
        assertThat(readBack(ch, 0xd)).isEqualTo(pattern('C'));
    }

    @Test
    void unsolicitedDataOutForAHeldCommandFollowsIt() throws Exception {
        EmbeddedChannel ch = connect(false); // InitialR2T=No
        byte[] firstBlock = pattern('P');
        byte[] secondBlock = pattern('Q');
        ch.writeInbound(write(0xb, first + 1, Unpooled.wrappedBuffer(firstBlock), 2 * BLOCK, false));
        ch.writeInbound(new DataOut(true, 0, 0xb, Bhs.RESERVED_TAG, 0, 0, BLOCK,
                Unpooled.wrappedBuffer(secondBlock)));
        assertThat(answered(ch)).isEmpty();
        ch.writeInbound(read(0xa, first, false));
        assertThat(answered(ch)).containsExactly(0xa, 0xb);
        assertThat(readBack(ch, 0xc)).isEqualTo(firstBlock);
    }

    @Test
    void heldBuffersAreReleasedWhenTheConnectionCloses() throws Exception {
        EmbeddedChannel ch = connect(false);
        ByteBuf command = Unpooled.wrappedBuffer(pattern('P'));
        ByteBuf dataOut = Unpooled.wrappedBuffer(pattern('Q'));
        ch.writeInbound(write(0xb, first + 1, command, 2 * BLOCK, false));
        ch.writeInbound(new DataOut(true, 0, 0xb, Bhs.RESERVED_TAG, 0, 0, BLOCK, dataOut));
        assertThat(command.refCnt()).isOne();
        ch.close();
        ch.runPendingTasks();
        assertThat(command.refCnt()).isZero();
        assertThat(dataOut.refCnt()).isZero();
        assertThat(session.window().held()).as("the CmdSN stays received").isOne();
    }

    @Test
    void aCommandHeldOnOneConnectionIsReleasedByTheOtherConnection() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        b.writeInbound(write(0xb, first + 1, pattern('B')));
        assertThat(answered(b)).isEmpty();
        a.writeInbound(write(0xa, first, pattern('A')));
        assertThat(answered(a)).containsExactly(0xa);
        assertThat(answered(b)).containsExactly(0xb);
        assertThat(readBack(a, 0xc)).isEqualTo(pattern('B'));
    }
}
