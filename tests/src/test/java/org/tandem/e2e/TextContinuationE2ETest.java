package org.tandem.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;
import org.tandem.iscsi.text.TextParameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Answers longer than the initiator's MaxRecvDataSegmentLength (RFC 7143 sections 11.10-11.11): a SendTargets
 * answer for 100 targets to an initiator that takes 512 bytes a PDU arrives whole over many Text Responses, and a
 * NOP-In never carries more than the initiator declared.
 */
class TextContinuationE2ETest {
    private static final int TARGETS = 100;
    private static final int INITIATOR_MAX_RECV = 512;
    private static final String PREFIX = "iqn.2026-11.org.tandem.test:vm-disk-";

    @TempDir
    Path dir;

    @Test
    void aSendTargetsAnswerForAHundredTargetsArrivesWholeAt512BytesAPdu() throws Exception {
        try (TargetFixture t = TargetFixture.start(dir, hundredTargets());
             TestInitiator discovery = new TestInitiator(t.port())) {
            loginWithMaxRecv(discovery, "SessionType=Discovery\0", INITIATOR_MAX_RECV);
            discovery.send(new TextRequest(true, true, false, 0, 0x51, Bhs.RESERVED_TAG, 1, 0,
                    Unpooled.copiedBuffer("SendTargets=All\0", StandardCharsets.US_ASCII)));
            ByteBuf answer = Unpooled.buffer();
            int responses = 0;
            try {
                // Bounded: 100 targets of ~80 bytes each cannot need more than 100 PDUs of 512 bytes.
                while (responses < 100) {
                    TextResponse r = (TextResponse) discovery.receive();
                    responses++;
                    assertThat(r.initiatorTaskTag()).isEqualTo(0x51);
                    assertThat(r.data().readableBytes()).as("data segment of response " + responses)
                            .isLessThanOrEqualTo(INITIATOR_MAX_RECV);
                    answer.writeBytes(r.data());
                    r.release();
                    if (!r.continueFlag()) {
                        assertThat(r.finalFlag()).isTrue();
                        assertThat(r.targetTransferTag()).isEqualTo(Bhs.RESERVED_TAG);
                        break;
                    }
                    assertThat(r.finalFlag()).as("F with C").isFalse();
                    assertThat(r.targetTransferTag()).isNotEqualTo(Bhs.RESERVED_TAG);
                    // RFC 7143 section 11.10: an empty request quoting the tag asks for the rest.
                    discovery.send(new TextRequest(true, true, false, 0, 0x51, r.targetTransferTag(), 1, 0,
                            Unpooled.EMPTY_BUFFER));
                }
                List<Map.Entry<String, String>> pairs = TextParameters.parse(answer).pairs();
                List<String> names = pairs.stream().filter(e -> e.getKey().equals("TargetName"))
                        .map(Map.Entry::getValue).toList();
                assertThat(names).hasSize(TARGETS);
                for (int i = 0; i < TARGETS; i++) {
                    assertThat(names).contains(PREFIX + i);
                }
                assertThat(pairs.stream().filter(e -> e.getKey().equals("TargetAddress"))).hasSize(TARGETS);
                assertThat(responses).isGreaterThan(10);
                System.out.println("SendTargets: " + TARGETS + " targets, " + answer.writerIndex() + " bytes in "
                        + responses + " Text Responses at MaxRecvDataSegmentLength " + INITIATOR_MAX_RECV);
            } finally {
                answer.release();
            }
        }
    }

    @Test
    void aStartedAnswerIsDroppedWhenTheInitiatorStartsANewRequest() throws Exception {
        try (TargetFixture t = TargetFixture.start(dir, hundredTargets());
             TestInitiator discovery = new TestInitiator(t.port())) {
            loginWithMaxRecv(discovery, "SessionType=Discovery\0", INITIATOR_MAX_RECV);
            discovery.send(new TextRequest(true, true, false, 0, 0x60, Bhs.RESERVED_TAG, 1, 0,
                    Unpooled.copiedBuffer("SendTargets=All\0", StandardCharsets.US_ASCII)));
            TextResponse first = (TextResponse) discovery.receive();
            first.release();
            assertThat(first.continueFlag()).isTrue();
            // A new request (reserved tag) for one target: answered at once, whole, in one PDU.
            discovery.send(new TextRequest(true, true, false, 0, 0x61, Bhs.RESERVED_TAG, 1, 0,
                    Unpooled.copiedBuffer("SendTargets=" + PREFIX + "7\0", StandardCharsets.US_ASCII)));
            TextResponse one = (TextResponse) discovery.receive();
            try {
                assertThat(one.initiatorTaskTag()).isEqualTo(0x61);
                assertThat(one.finalFlag()).isTrue();
                assertThat(one.continueFlag()).isFalse();
                assertThat(TextParameters.parse(one.data()).get("TargetName")).isEqualTo(PREFIX + "7");
            } finally {
                one.release();
            }
        }
    }

    @Test
    void pingDataIsCutAtTheInitiatorsMaxRecvDataSegmentLength() throws Exception {
        try (TargetFixture t = TargetFixture.start(dir, hundredTargets());
             TestInitiator session = new TestInitiator(t.port())) {
            loginWithMaxRecv(session, "SessionType=Normal\0TargetName=" + PREFIX + "0\0", INITIATOR_MAX_RECV);
            byte[] data = new byte[1000];
            new Random(3).nextBytes(data);
            session.send(new NopOut(true, 0, 0x70, Bhs.RESERVED_TAG, 1, 0, Unpooled.wrappedBuffer(data)));
            NopIn echo = (NopIn) session.receive();
            try {
                assertThat(echo.initiatorTaskTag()).isEqualTo(0x70);
                assertThat(echo.data().readableBytes()).isEqualTo(INITIATOR_MAX_RECV);
                assertThat(ByteBufUtil.getBytes(echo.data())).isEqualTo(Arrays.copyOf(data,
                        INITIATOR_MAX_RECV));
            } finally {
                echo.release();
            }
        }
    }

    /** Security stage, then the operational stage with this MaxRecvDataSegmentLength, then full feature phase. */
    private static void loginWithMaxRecv(TestInitiator i, String sessionKeys, int maxRecv) throws Exception {
        LoginResponse security = i.loginStep(true, LoginStage.SECURITY_NEGOTIATION,
                LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, 0, 0x400000000077L, 0,
                "InitiatorName=iqn.2026-11.org.tandem.test:small\0" + sessionKeys + "AuthMethod=None\0");
        assertThat(security.statusClass()).isZero();
        LoginResponse operational = i.loginStep(true, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION,
                LoginStage.FULL_FEATURE_PHASE, 0, 0x400000000077L, 0, "MaxRecvDataSegmentLength=" + maxRecv + "\0");
        assertThat(operational.statusClass()).isZero();
        assertThat(operational.nextStage()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
    }

    private static String hundredTargets() {
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < TARGETS; i++) {
            c.append("Target ").append(PREFIX).append(i).append("\n    Lun 0 Type=nullio,Blocks=2048\n");
        }
        return c.toString();
    }
}
