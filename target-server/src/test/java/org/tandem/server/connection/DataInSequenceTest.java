package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 section 11.7: the data of a read goes in Data-In PDUs no longer than the initiator's
 * MaxRecvDataSegmentLength, each sequence of at most MaxBurstLength closed by the F bit, DataSN counting from 0;
 * the status rides in the last Data-In when the command succeeded (section 11.7.4), and residuals compare what the
 * command had with the Expected Data Transfer Length (section 11.4.5).
 */
class DataInSequenceTest extends ConnectionJobTestBase {

    /** READ (10) of {@code blocks} at {@code lba}, immediate, expecting {@code edtl} bytes. */
    private static ScsiCommand read(int itt, int lba, int blocks, int edtl) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x28;
        cdb[2] = (byte) (lba >>> 24);
        cdb[3] = (byte) (lba >>> 16);
        cdb[4] = (byte) (lba >>> 8);
        cdb[5] = (byte) lba;
        cdb[8] = (byte) blocks;
        return new ScsiCommand(true, true, true, false, ScsiTaskAttribute.SIMPLE, 0, itt, edtl, 1, 0, cdb, -1,
                Unpooled.EMPTY_BUFFER);
    }

    /** Opens the bench and takes the unit attention of the new I_T nexus (power on), as a first command would. */
    private void openAndClearUnitAttention(int maxXmit, int maxBurst) throws Exception {
        open(false, maxXmit, maxBurst, 0);
        bench.clearUnitAttention();
    }

    @Test
    void dataIsSplitAtMaxXmitWithTheFBitClosingEachBurstAndTheStatusInTheLastPdu() throws Exception {
        openAndClearUnitAttention(1024, 2048);
        List<IscsiPdu> sent = bench.exchange(read(7, 0, 8, 4096));
        assertThat(sent).hasSize(4).allMatch(p -> p instanceof DataIn);
        for (int i = 0; i < 4; i++) {
            DataIn d = (DataIn) sent.get(i);
            assertThat(d.data().readableBytes()).as("PDU %d length", i).isEqualTo(1024);
            assertThat(d.bufferOffset()).isEqualTo(i * 1024);
            assertThat(d.dataSn()).isEqualTo(i);
            assertThat(d.finalFlag()).as("F bit of PDU %d: a burst is 2048 bytes", i).isEqualTo(i % 2 == 1);
            assertThat(d.statusPresent()).as("status in the last PDU only").isEqualTo(i == 3);
            assertThat(d.initiatorTaskTag()).isEqualTo(7);
        }
        DataIn last = (DataIn) sent.get(3);
        assertThat(last.status()).isZero();
        assertThat(last.residualOverflow() || last.residualUnderflow()).isFalse();
        assertThat(last.statSn()).as("StatSN after the TEST UNIT READY's").isEqualTo(101);
    }

    @Test
    void anExpectedLengthAboveTheDataIsAnUnderflowWithItsResidual() throws Exception {
        openAndClearUnitAttention(65536, 262144);
        DataIn only = bench.answer(read(8, 0, 1, 4096), DataIn.class);
        assertThat(only.data().readableBytes()).isEqualTo(512);
        assertThat(only.residualUnderflow()).isTrue();
        assertThat(only.residualCount()).isEqualTo(4096 - 512);
    }

    @Test
    void anExpectedLengthBelowTheDataSendsOnlyThatMuchAndIsAnOverflow() throws Exception {
        openAndClearUnitAttention(65536, 262144);
        DataIn only = bench.answer(read(9, 0, 4, 1024), DataIn.class);
        assertThat(only.data().readableBytes()).isEqualTo(1024);
        assertThat(only.residualOverflow()).isTrue();
        assertThat(only.residualCount()).isEqualTo(2048 - 1024);
    }

    @Test
    void aFailedCommandAnswersWithAScsiResponseCarryingSenseLengthAndSenseData() throws Exception {
        openAndClearUnitAttention(65536, 262144);
        // The LUN has 2048 blocks: LBA 2048 is out of range.
        ScsiResponse r = bench.answer(read(10, 2048, 1, 512), ScsiResponse.class);
        assertThat(r.status()).as("CHECK CONDITION").isEqualTo(0x02);
        int senseLength = r.data().getUnsignedShort(0);
        assertThat(r.data().readableBytes()).isEqualTo(2 + senseLength);
        assertThat(r.data().getByte(2 + 2) & 0x0f).as("sense key ILLEGAL REQUEST").isEqualTo(0x05);
        assertThat(r.data().getByte(2 + 12)).as("ASC: LOGICAL BLOCK ADDRESS OUT OF RANGE").isEqualTo((byte) 0x21);
        assertThat(r.residualUnderflow()).as("no data went: all of it is residual").isTrue();
        assertThat(r.residualCount()).isEqualTo(512);
    }
}
