package org.tandem.server.login;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LoginStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;

/**
 * RFC 7143 sections 6.1 and 11.13: during login both sides assume MaxRecvDataSegmentLength 8192 (section 13.12),
 * so a longer answer goes in parts: C=1, T=0, NSG=CSG and no TSIH on every part but the last, each sent when the
 * initiator asks with an empty Login Request; the last part carries the real T, NSG and TSIH. StatSN counts from
 * the first request's ExpStatSN.
 */
class LoginResponderTest {
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    private final ChannelHandlerContext ctx = channel.pipeline().firstContext();
    private final LoginResponder responder = new LoginResponder();

    @AfterEach
    void close() {
        responder.close();
        channel.finishAndReleaseAll();
    }

    private static LoginRequest request(boolean transit, String text) {
        return new LoginRequest(transit, false, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, 0, 0,
                0x23d000000001L, 0, 9, 0, 5, 40, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private LoginResponse sent() {
        LoginResponse r = channel.readOutbound();
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void anAnswerOfOnePduCarriesTheRealFlagsAndRunsWhatComesAfterIt() {
        responder.startAt(40);
        boolean[] after = new boolean[1];
        responder.send(ctx, request(true, ""), true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE,
                List.of(Map.entry("HeaderDigest", "None")), 3, () -> after[0] = true);
        LoginResponse r = sent();
        assertThat(r.transit()).isTrue();
        assertThat(r.continueFlag()).isFalse();
        assertThat(r.nextStage()).isEqualTo(FULL_FEATURE_PHASE);
        assertThat(r.tsih()).isEqualTo(3);
        assertThat(r.statSn()).isEqualTo(40);
        assertThat(r.data().toString(StandardCharsets.UTF_8)).isEqualTo("HeaderDigest=None\0");
        r.release();
        assertThat(after[0]).isTrue();
        assertThat(responder.statSn()).isEqualTo(41);
        assertThat(responder.lastAnswer()).isEqualTo("HeaderDigest=None");
    }

    @Test
    void aLongAnswerGoesInPartsEachFetchedByAnEmptyRequest() throws Exception {
        responder.startAt(1);
        boolean[] after = new boolean[1];
        String value = "x".repeat(8000);
        responder.send(ctx, request(true, ""), true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE,
                List.of(Map.entry("X-a", value), Map.entry("X-b", value)), 7, () -> after[0] = true);
        LoginResponse part = sent();
        assertThat(part.continueFlag()).isTrue();
        assertThat(part.transit()).as("T=0 while the text continues").isFalse();
        assertThat(part.nextStage()).as("NSG=CSG").isEqualTo(LOGIN_OPERATIONAL_NEGOTIATION);
        assertThat(part.tsih()).isZero();
        assertThat(part.data().readableBytes()).isEqualTo(8192);
        part.release();
        assertThat(responder.continuing()).isTrue();
        assertThat(after[0]).isFalse();

        responder.continueWith(ctx, request(false, ""));
        LoginResponse last = sent();
        assertThat(last.continueFlag()).isFalse();
        assertThat(last.transit()).isTrue();
        assertThat(last.nextStage()).isEqualTo(FULL_FEATURE_PHASE);
        assertThat(last.tsih()).isEqualTo(7);
        assertThat(last.statSn()).isEqualTo(2);
        assertThat(last.data().readableBytes()).isEqualTo(2 * (4 + 8001) - 8192);
        last.release();
        assertThat(after[0]).isTrue();
        assertThat(responder.continuing()).isFalse();
    }

    @Test
    void aRequestWithTextWhileTheAnswerContinuesIsAnInitiatorError() {
        String value = "x".repeat(9000);
        responder.send(ctx, request(false, ""), false, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                List.of(Map.entry("X-a", value)), 0, null);
        sent().release();
        LoginRequest withText = request(false, "X-b=1\0");
        assertThatThrownBy(() -> responder.continueWith(ctx, withText)).isInstanceOf(LoginFailure.class)
                .hasMessageContaining("RFC 7143 section 6.1 wants an empty request")
                .extracting(e -> ((LoginFailure) e).status()).isEqualTo(LoginStatus.INITIATOR_ERROR);
        withText.release();
    }

    @Test
    void aRefusalCarriesItsStatusAndClosesTheConnection() {
        responder.startAt(12);
        responder.refuse(ctx, LoginStatus.AUTHORIZATION_FAILURE, 0x23d000000001L, 9, LoginStage.SECURITY_NEGOTIATION,
                5);
        LoginResponse r = sent();
        assertThat(r.statusClass()).isEqualTo(LoginStatus.AUTHORIZATION_FAILURE.statusClass());
        assertThat(r.statusDetail()).isEqualTo(LoginStatus.AUTHORIZATION_FAILURE.detail());
        assertThat(r.statSn()).isEqualTo(12);
        assertThat(r.transit() || r.continueFlag()).isFalse();
        r.release();
        assertThat(channel.isActive()).isFalse();
    }
}
