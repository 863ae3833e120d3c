package org.tandem.server.connection;

import org.junit.jupiter.api.Test;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.SnackRequest;
import org.tandem.server.CapturedLog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 section 11.17: a Reject carries the complete header of the PDU it refuses. Tandem runs
 * ErrorRecoveryLevel 0, so a SNACK is a protocol error (section 11.16); a PDU the decoder could not read is
 * rejected with the reason the decoder found, and one that breaks the framing also ends the connection. A flood of
 * bad PDUs is logged up to a limit and summarised once.
 */
class RejectSenderTest extends ConnectionJobTestBase {

    private Reject rejectOf(InvalidPdu invalid) {
        bench.channel.writeInbound(invalid);
        return bench.answer(null, Reject.class);
    }

    @Test
    void aSnackIsRejectedWithItsHeaderAndTheConnectionStays() throws Exception {
        open(false, 8192, 262144, 0);
        Reject r = bench.answer(new SnackRequest(0, 0, 0x77, RESERVED, 0, 3, 1), Reject.class);
        assertThat(r.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(r.data().readableBytes()).as("one Basic Header Segment").isEqualTo(48);
        assertThat(r.data().getByte(0) & 0x3f).as("its opcode").isEqualTo(0x10);
        assertThat(r.data().getInt(16)).as("its ITT").isEqualTo(0x77);
        assertThat(r.statSn()).isEqualTo(100);
        assertThat(bench.channel.isActive()).isTrue();
    }

    @Test
    void anUnreadablePduIsRejectedWithTheDecodersReasonAndAFatalOneClosesTheConnection() throws Exception {
        open(false, 8192, 262144, 0);
        byte[] header = new byte[48];
        header[0] = 0x3f;
        Reject notSupported = rejectOf(new InvalidPdu(RejectReason.COMMAND_NOT_SUPPORTED, false, header, "0x3f"));
        assertThat(notSupported.reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED);
        assertThat(notSupported.data().getByte(0)).as("the header as it came").isEqualTo((byte) 0x3f);
        assertThat(bench.channel.isActive()).isTrue();

        Reject fatal = rejectOf(new InvalidPdu(RejectReason.PROTOCOL_ERROR, true, header, "bad length"));
        assertThat(fatal.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(bench.channel.isActive()).as("a fatal PDU ends the connection").isFalse();
    }

    @Test
    void aFloodIsLoggedUpToTheLimitAndSummarisedWhenTheConnectionEnds() throws Exception {
        open(false, 8192, 262144, 0);
        try (CapturedLog log = new CapturedLog(FullFeatureHandler.class)) {
            for (int i = 0; i < 25; i++) {
                bench.answer(new SnackRequest(0, 0, i, RESERVED, 0, 0, 0), Reject.class);
            }
            bench.channel.close();
            bench.channel.runPendingTasks();
            assertThat(log.containing("rejected SNACK_REQUEST")).hasSize(RejectSender.LOGGED);
            assertThat(log.containing("the rest are counted, not logged")).hasSize(1);
            assertThat(log.containing("25 PDUs rejected on this connection in all, 15 not logged one by one"))
                    .hasSize(1);
        }
    }
}
