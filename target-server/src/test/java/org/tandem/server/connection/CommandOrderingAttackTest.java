package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.TaskManagementResponse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile tests of CmdSN ordering (RFC 7143 sections 3.2.2.1, 11.6.1) on EmbeddedChannels.
 */
class CommandOrderingAttackTest extends OrderingChannelsBase {
    /**
     * A held WRITE (CmdSN first+1, ITT 0xb) is retransmitted (same ITT, same CmdSN: a duplicate, ignored). The
     * copy must not take the original's place among the commands waiting for their turn: an ABORT TASK for 0xb
     * must still find and discard the original, and the write must not run when the gap fills. (Once the copy's
     * ignore path dropped the original's entry, ABORT TASK took case b of RFC 7143 section 11.6.1, answered
     * Function Complete, and the "aborted" write ran.)
     */
    @Test
    void aDuplicateOfAHeldCommandDoesNotHideItFromAbortTask() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, first + 1, pattern('B')));
        ch.writeInbound(write(0xb, first + 1, pattern('B'))); // retransmission: duplicate CmdSN, ignored
        assertThat(answered(ch)).isEmpty();
        ch.writeInbound(abortTask(true, 0x77, 0xb, first + 2, first + 1));
        assertThat(tmfResponse(ch).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        ch.writeInbound(write(0xa, first, pattern('A')));
        assertThat(answered(ch)).as("a task answered Function Complete must not run afterwards")
                .containsExactly(0xa);
        assertThat(readBack(ch, 0xc)).as("the aborted write 'B' must not have reached the disk")
                .isEqualTo(pattern('A'));
    }

    /** The same through a command outside the window that reuses a held command's ITT. */
    @Test
    void anOutOfWindowCommandReusingAHeldTagDoesNotHideItFromAbortTask() throws Exception {
        EmbeddedChannel ch = connect(true);
        ch.writeInbound(write(0xb, first + 1, pattern('B')));
        ch.writeInbound(write(0xb, first + DEPTH + 100, pattern('X'))); // beyond MaxCmdSN: ignored
        ch.writeInbound(abortTask(true, 0x77, 0xb, first + 2, first + 1));
        TaskManagementResponse r = tmfResponse(ch);
        ch.writeInbound(write(0xa, first, pattern('A')));
        List<Integer> tags = answered(ch);
        byte[] disk = readBack(ch, 0xc);
        assertThat(r.response() == TaskManagementResponse.FUNCTION_COMPLETE && Arrays.equals(disk, pattern('B')))
                .as("ABORT TASK answered %d (Function Complete=%d) yet write 0xb ran (responses %s)", r.response(),
                        TaskManagementResponse.FUNCTION_COMPLETE, tags)
                .isFalse();
    }

    /**
     * Unsolicited Data-Out for a held command is bounded in PDUs as well as bytes: zero-length Data-Out PDUs sent
     * while the command waits for a gap that never fills are not kept without bound.
     */
    @Test
    void zeroLengthDataOutFloodForAHeldCommandIsNotKeptWithoutBound() throws Exception {
        EmbeddedChannel ch = connect(false); // InitialR2T=No
        ch.writeInbound(write(0xb, first + 1, Unpooled.wrappedBuffer(pattern('P')), 2 * BLOCK, false));
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
        first = 0xfffffffe; // the TUR is immediate: ExpCmdSN stays 0xfffffffe
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
            ch.writeInbound(write(0x100 + i, first + i, b, BLOCK, true));
        }
        assertThat(answered(ch)).isEmpty();
        long kept = bufs.stream().filter(b -> b.refCnt() > 0).count();
        assertThat(kept).isLessThanOrEqualTo(DEPTH - 1);
        assertThat(session.window().held()).isLessThanOrEqualTo(DEPTH - 1);
        ch.writeInbound(new NopOut(true, 0, 0x55, Bhs.RESERVED_TAG, first, 0, Unpooled.EMPTY_BUFFER));
        List<IscsiPdu> out = sent(ch);
        assertThat(out).hasSize(1).first().isInstanceOf(NopIn.class);
        out.forEach(IscsiPdu::release);
        ch.close();
        ch.runPendingTasks();
        assertThat(bufs).allMatch(b -> b.refCnt() == 0, "released on close");
    }

    /**
     * MC/S: a WRITE held on connection B; the initiator sends ABORT TASK for it on connection A. Its RefCmdSN has
     * arrived, so this is not case b of RFC 7143 section 11.6.1: A must not answer Function Complete for a command
     * that then runs (it once did).
     */
    @Test
    void abortTaskOnAnotherConnectionOfAHeldCommandIsNotAnsweredFunctionCompleteWhileItRuns() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        b.writeInbound(write(0xb, first + 1, pattern('B')));
        a.writeInbound(abortTask(true, 0x77, 0xb, first + 2, first + 1));
        b.runPendingTasks();
        TaskManagementResponse r = tmfResponse(a);
        a.writeInbound(write(0xa, first, pattern('A')));
        b.runPendingTasks();
        List<Integer> onB = answered(b);
        answered(a);
        byte[] disk = readBack(a, 0xc);
        assertThat(r.response() == TaskManagementResponse.FUNCTION_COMPLETE && Arrays.equals(disk, pattern('B')))
                .as("ABORT TASK answered Function Complete yet the write ran (B answered %s)", onB).isFalse();
    }

    /**
     * Same root cause, other symptom: a retransmitted copy once unhooked the held WRITE's tag, so its unsolicited
     * Data-Out (InitialR2T=No) reached the handler ahead of its command and the write never completed. The data
     * must wait with its command.
     */
    @Test
    void afterADuplicateTheHeldWriteKeepsItsUnsolicitedDataOutAndCompletes() throws Exception {
        EmbeddedChannel ch = connect(false); // InitialR2T=No
        ch.writeInbound(write(0xb, first + 1, Unpooled.wrappedBuffer(pattern('P')), 2 * BLOCK, false));
        ch.writeInbound(write(0xb, first + 1, Unpooled.wrappedBuffer(pattern('P')), 2 * BLOCK, false));
        ch.writeInbound(new DataOut(true, 0, 0xb, Bhs.RESERVED_TAG, 0, 0, BLOCK,
                Unpooled.wrappedBuffer(pattern('Q'))));
        sent(ch).forEach(IscsiPdu::release); // whatever the early Data-Out drew
        ch.writeInbound(read(0xa, first, false));
        assertThat(answered(ch)).as("the read and the two-block write both complete").containsExactly(0xa, 0xb);
    }
}
