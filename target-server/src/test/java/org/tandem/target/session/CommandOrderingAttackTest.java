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
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
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
 * Hostile tests of CmdSN ordering (RFC 7143 sections 3.2.2.1, 11.6.1) on EmbeddedChannels.
 */
class CommandOrderingAttackTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:ordering";
    private int FIRST = 1000;
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


    /**
     * A held WRITE (CmdSN FIRST+1, ITT 0xb) is retransmitted (same ITT, same CmdSN: a duplicate, ignored). The
     * ignore path removes the ITT from the "undelivered" map although the entry belongs to the ORIGINAL held
     * command (put overwrote it first). An ABORT TASK for 0xb then finds neither a task nor a waiting command,
     * takes RFC 7143 11.6.1 case b (RefCmdSN "considered received": it was already), answers Function Complete,
     * and the "aborted" write still runs when the gap fills.
     */
    @Test
    void duplicateOfAHeldCommandMakesAbortTaskLieAndTheAbortedWriteRuns() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        ch.writeInbound(write(0xb, FIRST + 1, pattern('B'))); // retransmission: duplicate CmdSN, ignored
        assertThat(answered(ch)).isEmpty();
        ch.writeInbound(abortTask(true, 0x77, 0xb, FIRST + 2, FIRST + 1));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        ch.writeInbound(write(0xa, FIRST, pattern('A')));
        assertThat(answered(ch)).as("a task answered Function Complete must not run afterwards")
                .containsExactly(0xa);
        assertThat(readBack(ch, 0xc)).as("the aborted write 'B' must not have reached the disk")
                .isEqualTo(pattern('A'));
    }

    /** Same defect through a command outside the window that reuses a held command's ITT. */
    @Test
    void outOfWindowCommandReusingAHeldTagMakesAbortTaskLie() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        ch.writeInbound(write(0xb, FIRST + DEPTH + 100, pattern('X'))); // beyond MaxCmdSN: ignored
        ch.writeInbound(abortTask(true, 0x77, 0xb, FIRST + 2, FIRST + 1));
        TaskManagementResponse r = tmfResponse(ch);
        ch.writeInbound(write(0xa, FIRST, pattern('A')));
        List<Integer> tags = answered(ch);
        byte[] disk = readBack(ch, 0xc);
        assertThat(r.response() == TaskManagementResponse.FUNCTION_COMPLETE && Arrays.equals(disk, pattern('B')))
                .as("ABORT TASK answered %d (Function Complete=%d) yet write 0xb ran (responses %s)", r.response(),
                        TaskManagementResponse.FUNCTION_COMPLETE, tags)
                .isFalse();
    }

    /**
     * Unsolicited Data-Out for a held command is kept up to FirstBurstLength counted in data bytes only, so
     * zero-length Data-Out PDUs are kept without any bound while the command waits for a gap that never fills.
     */
    @Test
    void zeroLengthDataOutFloodForAHeldCommandIsNotKeptWithoutBound() throws Exception {
        EmbeddedChannel ch = connect(false); // InitialR2T=No
        ch.writeInbound(write(0xb, FIRST + 1, Unpooled.wrappedBuffer(pattern('P')), 2 * BLOCK, false));
        int flood = 100_000;
        List<ByteBuf> sentData = new ArrayList<>(flood);
        for (int i = 0; i < flood; i++) {
            ByteBuf empty = Unpooled.buffer(0);
            sentData.add(empty);
            ch.writeInbound(new DataOut(false, 0, 0xb, Bhs.RESERVED_TAG, 0, i, BLOCK, empty));
        }
        long kept = sentData.stream().filter(b -> b.refCnt() > 0).count();
        sent(ch).forEach(IscsiPdu::release);
        assertThat(kept).as("Data-Out PDUs the target keeps for one held command (of %d sent)", flood)
                .isLessThan(1024);
    }

    /** CmdSN wrap-around at 2^32 while a gap holds commands: delivered in serial order across the wrap. */
    @Test
    void heldCommandsAcrossTheWrapAt2pow32AreDeliveredInOrder() throws Exception {
        FIRST = 0xfffffffe; // the TUR is immediate: ExpCmdSN stays 0xfffffffe
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xd, 1, pattern('D')));
        ch.writeInbound(write(0xc, 0, pattern('C')));
        ch.writeInbound(write(0xb, 0xffffffff, pattern('B')));
        assertThat(answered(ch)).isEmpty();
        ch.writeInbound(write(0xa, 0xfffffffe, pattern('A')));
        assertThat(answered(ch)).containsExactly(0xa, 0xb, 0xc, 0xd);
        assertThat(session.window().expCmdSn()).isEqualTo(2);
        assertThat(readBack(ch, 0xe)).isEqualTo(pattern('D'));
    }

    /**
     * A gap that never fills: the window holds at most MaxCmdSN - ExpCmdSN PDUs, everything beyond is ignored
     * and released, and the session stays alive for immediate traffic (a NOP-Out ping is answered).
     */
    @Test
    void aGapThatNeverFillsHoldsAtMostTheWindowAndReleasesTheRest() throws Exception {
        EmbeddedChannel ch = connect(true);
        List<ByteBuf> bufs = new ArrayList<>();
        for (int i = 1; i < 10 * DEPTH; i++) {
            ByteBuf b = Unpooled.wrappedBuffer(pattern(i));
            bufs.add(b);
            ch.writeInbound(write(0x100 + i, FIRST + i, b, BLOCK, true));
        }
        assertThat(answered(ch)).isEmpty();
        long kept = bufs.stream().filter(b -> b.refCnt() > 0).count();
        assertThat(kept).isLessThanOrEqualTo(DEPTH - 1);
        assertThat(session.window().held()).isLessThanOrEqualTo(DEPTH - 1);
        ch.writeInbound(new NopOut(true, 0, 0x55, Bhs.RESERVED_TAG, FIRST, 0, Unpooled.EMPTY_BUFFER));
        List<IscsiPdu> out = sent(ch);
        assertThat(out).hasSize(1).first().isInstanceOf(NopIn.class);
        out.forEach(IscsiPdu::release);
        ch.close();
        ch.runPendingTasks();
        assertThat(bufs).allMatch(b -> b.refCnt() == 0, "released on close");
    }

    /**
     * MC/S: a WRITE held on connection B; the initiator sends ABORT TASK for it on connection A. A answers
     * Function Complete (case b: "never received") although B holds the command, and the write then runs.
     */
    @Test
    void abortTaskOnAnotherConnectionOfAHeldCommandAnswersCompleteButTheWriteRuns() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        b.writeInbound(write(0xb, FIRST + 1, pattern('B')));
        a.writeInbound(abortTask(true, 0x77, 0xb, FIRST + 2, FIRST + 1));
        b.runPendingTasks();
        TaskManagementResponse r = tmfResponse(a);
        a.writeInbound(write(0xa, FIRST, pattern('A')));
        b.runPendingTasks();
        List<Integer> onB = answered(b);
        answered(a);
        byte[] disk = readBack(a, 0xc);
        assertThat(r.response() == TaskManagementResponse.FUNCTION_COMPLETE && Arrays.equals(disk, pattern('B')))
                .as("ABORT TASK answered Function Complete yet the write ran (B answered %s)", onB).isFalse();
    }
    /**
     * Same root cause, other symptom: after a retransmitted copy unhooks the held WRITE's tag, its unsolicited
     * Data-Out (InitialR2T=No) no longer waits with it but reaches the handler at once, ahead of its command.
     * When the gap fills the write runs without the data it was sent and never completes.
     */
    @Test
    void afterADuplicateTheHeldWritesUnsolicitedDataOutIsLostAndTheWriteNeverCompletes() throws Exception {
        EmbeddedChannel ch = connect(false); // InitialR2T=No
        ch.writeInbound(write(0xb, FIRST + 1, Unpooled.wrappedBuffer(pattern('P')), 2 * BLOCK, false));
        ch.writeInbound(write(0xb, FIRST + 1, Unpooled.wrappedBuffer(pattern('P')), 2 * BLOCK, false));
        ch.writeInbound(new DataOut(true, 0, 0xb, Bhs.RESERVED_TAG, 0, 0, BLOCK,
                Unpooled.wrappedBuffer(pattern('Q'))));
        sent(ch).forEach(IscsiPdu::release); // whatever the early Data-Out drew
        ch.writeInbound(read(0xa, FIRST, false));
        assertThat(answered(ch)).as("the read and the two-block write both complete").containsExactly(0xa, 0xb);
    }
}
