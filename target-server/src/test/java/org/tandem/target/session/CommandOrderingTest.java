package org.tandem.target.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.lu.ItNexus;
import org.tandem.target.config.IetdConfParser;
import org.tandem.target.negotiation.SessionParameters;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command path of one connection on an EmbeddedChannel, storage I/O on the calling thread: commands reach the
 * SCSI layer in CmdSN order (RFC 7143 section 3.2.2.1), ABORT TASK of a command never received fills its CmdSN
 * (section 11.6.1), PDUs outside the window are ignored, and held buffers are released when the connection closes.
 */
class CommandOrderingTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:ordering";
    private static final int FIRST = 1000;
    private static final int DEPTH = 32;
    private static final int BLOCK = 512;

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private Session session;

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        if (catalog != null) {
            catalog.close();
        }
    }

    private EmbeddedChannel connect(boolean initialR2T) throws Exception {
        if (catalog == null) {
            Path lun = dir.resolve("lun0.img");
            try (RandomAccessFile f = new RandomAccessFile(lun.toFile(), "rw")) {
                f.setLength(1024 * 1024);
            }
            Path conf = dir.resolve("ietd.conf");
            Files.writeString(conf, "Target " + TARGET + "\n    Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n");
            catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        }
        SessionParameters p = new SessionParameters(false, "iqn.2026-11.org.tandem.test:init", null, TARGET, false,
                false, 2, initialR2T, true, 65536, 65536, 262144, 65536, 2, 20, 1, 0);
        if (session == null) {
            session = new Session(p.initiatorName(), 0x400000000001L, 1, catalog.target(TARGET), p,
                    new ItNexus(Session.initiatorPortName(p.initiatorName(), 0x400000000001L), TARGET + ",t,0x0001"),
                    new CommandWindow(FIRST, DEPTH));
        }
        EmbeddedChannel ch = new EmbeddedChannel(new FullFeatureHandler(session, p, catalog, channels.size(), 1, 0,
                0));
        channels.add(ch);
        if (channels.size() == 1) {
            // The new I_T nexus has a unit attention (power on): an immediate TEST UNIT READY takes it.
            ch.writeInbound(new ScsiCommand(true, true, false, false, ScsiTaskAttribute.SIMPLE, 0, 0xfff, 0, FIRST,
                    0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
            assertThat(answered(ch)).containsExactly(0xfff);
        }
        return ch;
    }

    private static byte[] pattern(int seed) {
        byte[] b = new byte[BLOCK];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    private static byte[] cdb(int opcode) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[8] = 1; // one block at LBA 0
        return cdb;
    }

    private static ScsiCommand write(int itt, int cmdSn, ByteBuf data, int length, boolean finalFlag) {
        return new ScsiCommand(false, finalFlag, false, true, ScsiTaskAttribute.SIMPLE, 0, itt, length, cmdSn, 0,
                cdb(0x2a), -1, data);
    }

    private static ScsiCommand write(int itt, int cmdSn, byte[] data) {
        return write(itt, cmdSn, Unpooled.wrappedBuffer(data), BLOCK, true);
    }

    private static ScsiCommand read(int itt, int cmdSn, boolean immediate) {
        return new ScsiCommand(immediate, true, true, false, ScsiTaskAttribute.SIMPLE, 0, itt, BLOCK, cmdSn, 0,
                cdb(0x28), -1, Unpooled.EMPTY_BUFFER);
    }

    private static TaskManagementRequest abortTask(boolean immediate, int itt, int referencedTag, int cmdSn,
                                                   int refCmdSn) {
        return new TaskManagementRequest(immediate, TaskManagementRequest.ABORT_TASK, 0, itt, referencedTag, cmdSn,
                0, refCmdSn, 0);
    }

    /** Everything the target sent so far, after running what waits on the event loop. */
    private static List<IscsiPdu> sent(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<IscsiPdu> out = new ArrayList<>();
        IscsiPdu p;
        while ((p = ch.readOutbound()) != null) {
            out.add(p);
        }
        return out;
    }

    /** The task tags of the SCSI Responses (and Data-In with status) sent, in order; releases what was sent. */
    private static List<Integer> answered(EmbeddedChannel ch) {
        List<Integer> tags = new ArrayList<>();
        for (IscsiPdu p : sent(ch)) {
            if (p instanceof ScsiResponse || (p instanceof DataIn d && d.statusPresent())) {
                tags.add(p.initiatorTaskTag());
            }
            p.release();
        }
        return tags;
    }

    private byte[] readBack(EmbeddedChannel ch, int itt) {
        ch.writeInbound(read(itt, 0, true));
        byte[] data = null;
        for (IscsiPdu p : sent(ch)) {
            if (p instanceof DataIn d) {
                data = ByteBufUtil.getBytes(d.data());
            }
            p.release();
        }
        return data;
    }

    private TaskManagementResponse tmfResponse(EmbeddedChannel ch) {
        TaskManagementResponse r = null;
        for (IscsiPdu p : sent(ch)) {
            if (p instanceof TaskManagementResponse t) {
                r = t;
            }
            p.release();
        }
        return r;
    }

    @Test
    void aCommandAfterAGapWaitsAndTheTwoWritesLandInCmdSnOrder() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        assertThat(answered(ch)).as("nothing answers CmdSN %d before %d arrives", FIRST + 1, FIRST).isEmpty();
        assertThat(session.window().expCmdSn()).isEqualTo(FIRST);

        ch.writeInbound(write(0xa, FIRST, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa, 0xb);
        assertThat(session.window().expCmdSn()).isEqualTo(FIRST + 2);
        assertThat(readBack(ch, 0xc)).isEqualTo(pattern('B'));
    }

    @Test
    void immediateCommandsDoNotWaitForTheGap() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        assertThat(readBack(ch, 0x1)).as("an immediate READ runs while CmdSN %d is missing", FIRST)
                .isEqualTo(new byte[BLOCK]);
        assertThat(session.window().expCmdSn()).isEqualTo(FIRST);
    }

    @Test
    void pdusOutsideTheWindowAndDuplicatesAreIgnoredSilently() throws Exception {
        EmbeddedChannel ch = connect(true);
        ByteBuf beyond = Unpooled.wrappedBuffer(pattern('X'));
        ch.writeInbound(write(0x1, FIRST + DEPTH, beyond, BLOCK, true)); // MaxCmdSN is FIRST + DEPTH - 1
        ch.writeInbound(write(0x2, FIRST - 1, pattern('Y')));
        assertThat(answered(ch)).isEmpty();
        assertThat(beyond.refCnt()).as("an ignored PDU is released").isZero();

        ch.writeInbound(write(0x3, FIRST, pattern('A')));
        ch.writeInbound(write(0x4, FIRST, pattern('Z'))); // duplicate
        assertThat(answered(ch)).containsExactly(0x3);
        assertThat(session.window().expCmdSn()).isEqualTo(FIRST + 1);
        assertThat(readBack(ch, 0x5)).isEqualTo(pattern('A'));
    }

    @Test
    void abortTaskOfACommandNeverReceivedAnswersFunctionCompleteAndTheLateCommandNeverRuns() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        // The initiator gave up on 0xa (CmdSN FIRST), which the target never saw.
        ch.writeInbound(abortTask(true, 0x77, 0xa, FIRST + 2, FIRST));
        List<IscsiPdu> out = sent(ch);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(ScsiResponse.class);
        assertThat(out.get(0).initiatorTaskTag()).as("the held write runs once the gap is filled").isEqualTo(0xb);
        TaskManagementResponse r = (TaskManagementResponse) out.get(1);
        assertThat(r.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(r.expCmdSn()).isEqualTo(FIRST + 2);
        out.forEach(IscsiPdu::release);

        ByteBuf late = Unpooled.wrappedBuffer(pattern('A'));
        ch.writeInbound(write(0xa, FIRST, late, BLOCK, true));
        assertThat(answered(ch)).as("the aborted command arriving late gets no answer").isEmpty();
        assertThat(late.refCnt()).isZero();
        assertThat(readBack(ch, 0xc)).as("and did not run").isEqualTo(pattern('B'));
    }

    @Test
    void aNonImmediateAbortTaskBehindTheGapFillsItToo() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(abortTask(false, 0x77, 0xa, FIRST + 1, FIRST));
        TaskManagementResponse r = tmfResponse(ch);
        assertThat(r.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(r.expCmdSn()).isEqualTo(FIRST + 2);
    }

    @Test
    void abortTaskOfATaskAlreadyAnsweredIsTaskDoesNotExist() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xa, FIRST, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa);
        // RefCmdSN is below ExpCmdSN now: outside the window, RFC 7143 section 11.6.1 case c.
        ch.writeInbound(abortTask(true, 0x77, 0xa, FIRST + 1, FIRST));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.TASK_DOES_NOT_EXIST);
        // RefCmdSN not below the request's own CmdSN: not case b either.
        ch.writeInbound(abortTask(true, 0x78, 0xd, FIRST + 1, FIRST + 1));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.TASK_DOES_NOT_EXIST);
        assertThat(session.window().expCmdSn()).isEqualTo(FIRST + 1);
    }

    @Test
    void abortTaskOfAHeldCommandDropsItBeforeItRuns() throws Exception {
        EmbeddedChannel ch = connect(true);
        ByteBuf data = Unpooled.wrappedBuffer(pattern('B'));
        ch.writeInbound(write(0xb, FIRST + 1, data, BLOCK, true));
        ch.writeInbound(abortTask(true, 0x77, 0xb, FIRST + 2, FIRST + 1));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(data.refCnt()).isZero();
        ch.writeInbound(write(0xa, FIRST, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa);
        assertThat(session.window().expCmdSn()).as("the aborted command's CmdSN counts as received")
                .isEqualTo(FIRST + 2);
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
        a.writeInbound(write(0xb, FIRST + 1, onA, BLOCK, true));
        b.writeInbound(write(0xc, FIRST + 2, onB, BLOCK, true));
        a.writeInbound(abortTaskSet(true, 0x77, FIRST + 3));
        b.runPendingTasks(); // B's loop: its waiting command goes, then the function's aborts there
        assertThat(tmfResponse(a).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(onA.refCnt()).isZero();
        assertThat(onB.refCnt()).as("also on the session's other connection").isZero();

        a.writeInbound(read(0xa, FIRST, false));
        assertThat(answered(a)).as("the aborted writes never answer").containsExactly(0xa);
        assertThat(answered(b)).isEmpty();
        assertThat(session.window().expCmdSn()).isEqualTo(FIRST + 3);
        assertThat(readBack(a, 0xd)).isEqualTo(new byte[BLOCK]);
    }

    @Test
    void aNonImmediateAbortTaskSetSparesCommandsNumberedAfterIt() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xc, FIRST + 2, pattern('C')));
        ch.writeInbound(abortTaskSet(false, 0x77, FIRST + 1));
        assertThat(sent(ch)).isEmpty();
        ch.writeInbound(write(0xa, FIRST, pattern('A')));
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
        byte[] first = pattern('P');
        byte[] second = pattern('Q');
        ch.writeInbound(write(0xb, FIRST + 1, Unpooled.wrappedBuffer(first), 2 * BLOCK, false));
        ch.writeInbound(new DataOut(true, 0, 0xb, Bhs.RESERVED_TAG, 0, 0, BLOCK, Unpooled.wrappedBuffer(second)));
        assertThat(answered(ch)).isEmpty();
        ch.writeInbound(read(0xa, FIRST, false));
        assertThat(answered(ch)).containsExactly(0xa, 0xb);
        assertThat(readBack(ch, 0xc)).isEqualTo(first);
    }

    @Test
    void heldBuffersAreReleasedWhenTheConnectionCloses() throws Exception {
        EmbeddedChannel ch = connect(false);
        ByteBuf command = Unpooled.wrappedBuffer(pattern('P'));
        ByteBuf dataOut = Unpooled.wrappedBuffer(pattern('Q'));
        ch.writeInbound(write(0xb, FIRST + 1, command, 2 * BLOCK, false));
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
        b.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        assertThat(answered(b)).isEmpty();
        a.writeInbound(write(0xa, FIRST, pattern('A')));
        assertThat(answered(a)).containsExactly(0xa);
        assertThat(answered(b)).containsExactly(0xb);
        assertThat(readBack(a, 0xc)).isEqualTo(pattern('B'));
    }
}
