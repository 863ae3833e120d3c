package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.session.SendTargets;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 sections 11.10 and 11.11 with Appendix C: SendTargets is answered with each target's name and address;
 * a key Tandem does not renegotiate is answered "Reject"; a text too long for one PDU travels in parts both ways
 * (C bit), the target's parts fetched by empty requests quoting its Target Transfer Tag.
 */
class TextExchangeTest extends ConnectionJobTestBase {

    private static TextRequest request(boolean continued, int itt, int ttt, String text) {
        return new TextRequest(true, !continued, continued, 0, itt, ttt, 1, 0,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static List<Map.Entry<String, String>> keys(ByteBuf text) throws Exception {
        return TextParameters.parse(text).pairs();
    }

    private static Map.Entry<String, String> address() {
        return Map.entry("TargetAddress", "192.0.2.1:3260,1");
    }

    @Test
    void sendTargetsAllInADiscoverySessionListsEveryTargetAtThisPortal() throws Exception {
        open(true, 8192, 262144, 0);
        TextResponse r = bench.answer(request(false, 1, RESERVED, "SendTargets=All\0"), TextResponse.class);
        assertThat(r.finalFlag()).isTrue();
        assertThat(r.continueFlag()).isFalse();
        assertThat(r.targetTransferTag()).isEqualTo(RESERVED);
        assertThat(keys(r.data())).containsExactly(Map.entry("TargetName", ConnectionBench.TARGET), address(),
                Map.entry("TargetName", ConnectionBench.OTHER_TARGET), address());
    }

    @Test
    void anAnswerLongerThanMaxXmitGoesInPartsFetchedByEmptyRequestsQuotingTheTag() throws Exception {
        open(true, 40, 262144, 0);
        StringBuilder joined = new StringBuilder();
        TextResponse r = bench.answer(request(false, 2, RESERVED, "SendTargets=All\0"), TextResponse.class);
        int parts = 1;
        while (r.continueFlag() && parts < 20) {
            assertThat(r.finalFlag()).isFalse();
            assertThat(r.targetTransferTag()).as("a tag to quote").isNotEqualTo(RESERVED);
            assertThat(r.data().readableBytes()).isEqualTo(40);
            joined.append(r.data().toString(StandardCharsets.UTF_8));
            r = bench.answer(request(false, 2, r.targetTransferTag(), ""), TextResponse.class);
            parts++;
        }
        assertThat(r.finalFlag()).isTrue();
        assertThat(r.targetTransferTag()).isEqualTo(RESERVED);
        joined.append(r.data().toString(StandardCharsets.UTF_8));
        assertThat(parts).isBetween(3, 19);
        assertThat(keys(Unpooled.copiedBuffer(joined, StandardCharsets.UTF_8)))
                .containsExactly(Map.entry("TargetName", ConnectionBench.TARGET), address(),
                        Map.entry("TargetName", ConnectionBench.OTHER_TARGET), address());
    }

    @Test
    void aRequestInPartsIsAcknowledgedPartByPartAndAnsweredWhole() throws Exception {
        open(false, 8192, 262144, 0);
        TextResponse ack = bench.answer(request(true, 3, RESERVED, "SendTarg"), TextResponse.class);
        assertThat(ack.finalFlag()).isFalse();
        assertThat(ack.continueFlag()).isFalse();
        assertThat(ack.data().readableBytes()).as("an empty acknowledgement").isZero();
        assertThat(ack.targetTransferTag()).isNotEqualTo(RESERVED);
        TextResponse r = bench.answer(request(false, 3, RESERVED, "ets=\0"), TextResponse.class);
        assertThat(keys(r.data())).as("SendTargets= (empty) in a normal session: its own target")
                .containsExactly(Map.entry("TargetName", ConnectionBench.TARGET), address());
    }

    @Test
    void aLoginKeyInFullFeaturePhaseIsAnsweredRejectKeyByKey() throws Exception {
        open(false, 8192, 262144, 0);
        TextResponse r = bench.answer(request(false, 4, RESERVED, "MaxBurstLength=65536\0X-com.example=1\0"),
                TextResponse.class);
        assertThat(keys(r.data())).containsExactly(Map.entry("MaxBurstLength", "Reject"),
                Map.entry("X-com.example", "Reject"));
    }

    @Test
    void aKeyTwiceInOneRequestIsAProtocolError() throws Exception {
        open(true, 8192, 262144, 0);
        Reject reject = bench.answer(request(false, 5, RESERVED, "SendTargets=All\0SendTargets=All\0"), Reject.class);
        assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(reject.data().getInt(16)).as("the refused PDU's header: its ITT").isEqualTo(5);
        assertThat(bench.channel.isActive()).isTrue();
    }

    @Test
    void aRequestInPartsPastSixtyFourKibIsRejectedAndTheConnectionClosed() throws Exception {
        open(false, 8192, 262144, 0);
        String part = "X".repeat(8192);
        for (int i = 0; i < 8; i++) {
            bench.answer(request(true, 6, RESERVED, part), TextResponse.class);
        }
        Reject reject = bench.answer(request(true, 6, RESERVED, part), Reject.class);
        assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
        assertThat(bench.channel.isActive()).isFalse();
    }

    @Test
    void textInARequestThatContinuesTheTargetsAnswerIsRejected() throws Exception {
        open(true, 40, 262144, 0);
        TextResponse first = bench.answer(request(false, 7, RESERVED, "SendTargets=All\0"), TextResponse.class);
        Reject reject = bench.answer(request(false, 7, first.targetTransferTag(), "SendTargets=All\0"), Reject.class);
        assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
    }
}
