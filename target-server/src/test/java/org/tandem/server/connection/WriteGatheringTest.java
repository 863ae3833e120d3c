package org.tandem.server.connection;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 sections 4.2.3.4, 11.7 and 11.8: a write's data comes as immediate data (ImmediateData=Yes), as
 * unsolicited Data-Out up to FirstBurstLength (InitialR2T=No), and for the rest when the target asks by R2Ts of at
 * most MaxBurstLength, MaxOutstandingR2T at a time; every Data-Out must fit its task (tag, offset, DataSN). A write
 * the target could never execute is answered before any data is asked for.
 */
class WriteGatheringTest extends ConnectionJobTestBase {
    private static final int BLOCK = ConnectionBench.BLOCK;

    /** WRITE (10) at LBA 0 of {@code blocks}, immediate (no CmdSN ordering), with {@code immediate} data. */
    private static ScsiCommand write(int itt, int blocks, byte[] immediate, boolean finalFlag) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a;
        cdb[7] = (byte) (blocks >>> 8);
        cdb[8] = (byte) blocks;
        return new ScsiCommand(true, finalFlag, false, true, ScsiTaskAttribute.SIMPLE, 0, itt, blocks * BLOCK, 1, 0,
                cdb, -1, Unpooled.wrappedBuffer(immediate));
    }

    private static DataOut dataOut(int itt, int ttt, int dataSn, int offset, byte[] data, boolean finalFlag) {
        return new DataOut(finalFlag, 0, itt, ttt, 0, dataSn, offset, Unpooled.wrappedBuffer(data));
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    /** Opens the bench and takes the power-on unit attention with a TEST UNIT READY. */
    private void openWith(boolean initialR2T, boolean immediateData, int firstBurst, int maxBurst, int outstanding)
            throws Exception {
        open(ConnectionBench.parameters(false, 65536, maxBurst, initialR2T, immediateData, firstBurst, outstanding));
        bench.clearUnitAttention();
    }

    private byte[] readBack(int blocks) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x28;
        cdb[8] = (byte) blocks;
        DataIn in = bench.answer(new ScsiCommand(true, true, true, false, ScsiTaskAttribute.SIMPLE, 0, 0x77,
                blocks * BLOCK, 1, 0, cdb, -1, Unpooled.EMPTY_BUFFER), DataIn.class);
        return ByteBufUtil.getBytes(in.data());
    }

    @Test
    void withInitialR2TTheRestAfterImmediateDataIsAskedForByAnR2t() throws Exception {
        openWith(true, true, 65536, 262144, 1);
        ReadyToTransfer r2t = bench.answer(write(1, 4, bytes(BLOCK, 1), true), ReadyToTransfer.class);
        assertThat(r2t.bufferOffset()).isEqualTo(BLOCK);
        assertThat(r2t.desiredDataTransferLength()).isEqualTo(3 * BLOCK);
        assertThat(r2t.r2tSn()).isZero();
        ScsiResponse done = bench.answer(dataOut(1, r2t.targetTransferTag(), 0, BLOCK, bytes(3 * BLOCK, 2), true),
                ScsiResponse.class);
        assertThat(done.status()).isZero();
        byte[] expected = new byte[4 * BLOCK];
        Arrays.fill(expected, 0, BLOCK, (byte) 1);
        Arrays.fill(expected, BLOCK, 4 * BLOCK, (byte) 2);
        assertThat(readBack(4)).isEqualTo(expected);
    }

    @Test
    void withoutInitialR2TUnsolicitedDataGoesUpToFirstBurstLengthThenR2tsAskForTheRest() throws Exception {
        openWith(false, true, 2 * BLOCK, 262144, 1);
        assertThat(bench.exchange(write(2, 4, bytes(BLOCK, 3), false))).as("the unsolicited burst is open").isEmpty();
        ReadyToTransfer r2t = bench.answer(dataOut(2, RESERVED, 0, BLOCK, bytes(BLOCK, 4), true),
                ReadyToTransfer.class);
        assertThat(r2t.bufferOffset()).as("after FirstBurstLength").isEqualTo(2 * BLOCK);
        assertThat(r2t.desiredDataTransferLength()).isEqualTo(2 * BLOCK);
        assertThat(bench.answer(dataOut(2, r2t.targetTransferTag(), 0, 2 * BLOCK, bytes(2 * BLOCK, 5), true),
                ScsiResponse.class).status()).isZero();
    }

    @Test
    void r2tsAreAtMostMaxBurstLengthAndMaxOutstandingR2TAtATime() throws Exception {
        openWith(true, true, 65536, BLOCK, 2);
        List<IscsiPdu> first = bench.exchange(write(3, 4, new byte[0], true));
        assertThat(first).hasSize(2).allMatch(p -> p instanceof ReadyToTransfer);
        ReadyToTransfer a = (ReadyToTransfer) first.get(0);
        ReadyToTransfer b = (ReadyToTransfer) first.get(1);
        assertThat(List.of(a.bufferOffset(), b.bufferOffset())).containsExactly(0, BLOCK);
        assertThat(List.of(a.r2tSn(), b.r2tSn())).containsExactly(0, 1);
        assertThat(a.desiredDataTransferLength()).isEqualTo(BLOCK);
        ReadyToTransfer c = bench.answer(dataOut(3, a.targetTransferTag(), 0, 0, bytes(BLOCK, 6), true),
                ReadyToTransfer.class);
        assertThat(c.bufferOffset()).as("one answered: the next goes").isEqualTo(2 * BLOCK);
        assertThat(c.r2tSn()).isEqualTo(2);
    }

    @Test
    void immediateDataWhenImmediateDataIsNoIsAProtocolError() throws Exception {
        openWith(true, false, 65536, 262144, 1);
        Reject reject = bench.answer(write(4, 1, bytes(BLOCK, 7), true), Reject.class);
        assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(bench.session.window().inFlight()).as("the task gave back its window slot").isZero();
    }

    @Test
    void aDataOutAtTheWrongOffsetFailsItsTaskAloneWithDataOffsetError() throws Exception {
        openWith(true, true, 65536, 262144, 1);
        ReadyToTransfer r2t = bench.answer(write(5, 2, new byte[0], true), ReadyToTransfer.class);
        ScsiResponse failed = bench.answer(dataOut(5, r2t.targetTransferTag(), 0, BLOCK, bytes(BLOCK, 8), false),
                ScsiResponse.class);
        assertThat(failed.status()).as("CHECK CONDITION").isEqualTo(0x02);
        assertThat(failed.data().getByte(2 + 2) & 0x0f).as("ABORTED COMMAND").isEqualTo(0x0b);
        assertThat(failed.data().getByte(2 + 12)).as("DATA OFFSET ERROR").isEqualTo((byte) 0x4b);
        assertThat(bench.exchange(dataOut(5, r2t.targetTransferTag(), 1, 2 * BLOCK, bytes(BLOCK, 8), true)))
                .as("the rest of its data is dropped").isEmpty();
        assertThat(bench.channel.isActive()).isTrue();
    }

    @Test
    void aWriteLongerThanOneCommandMayCarryIsRefusedBeforeAnyR2t() throws Exception {
        openWith(true, true, 65536, 262144, 1);
        ScsiResponse refused = bench.answer(write(6, 0xffff, new byte[0], true), ScsiResponse.class);
        assertThat(refused.status()).isEqualTo(0x02);
        assertThat(refused.data().getByte(2 + 12)).as("INVALID FIELD IN CDB").isEqualTo((byte) 0x24);
    }
}
