package org.tandem.e2e;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.NopOut;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login Response continuation (RFC 7143 sections 6.1, 11.13) abused: a login whose answer exceeds 8192 bytes
 * (thousands of unknown keys, each answered NotUnderstood), and then the initiator never asks for the rest, asks
 * with text, with C+T, sends a NOP-Out, or closes. Every connection must end with a Login Response or a close,
 * and no buffer may leak.
 */
class LoginContinuationAttackE2ETest {
    private static final long ISID = 0x400000000099L;

    @TempDir
    Path dir;

    /** Sends ~56 KiB of unknown keys in 7 continued requests; returns the first (continued) Login Response. */
    private static LoginResponse bigAnswer(TestInitiator i) throws Exception {
        StringBuilder keys = new StringBuilder("InitiatorName=iqn.2026-11.org.tandem.test:cont\0SessionType=Normal\0"
                + "TargetName=" + TargetFixture.TARGET + "\0AuthMethod=None\0");
        int k = 0;
        while (keys.length() < 56 * 1024 - 64) {
            keys.append("X-k").append(k++).append("=1\0");
        }
        byte[] text = keys.toString().getBytes(StandardCharsets.US_ASCII);
        int off = 0;
        while (true) {
            int n = Math.min(8192, text.length - off);
            boolean last = off + n == text.length;
            i.send(new LoginRequest(false, !last, LoginStage.SECURITY_NEGOTIATION, LoginStage.SECURITY_NEGOTIATION,
                    0, 0, ISID, 0, 1, 0, 1, 0, Unpooled.wrappedBuffer(text, off, n)));
            off += n;
            Object o = i.receive();
            assertThat(o).isInstanceOf(LoginResponse.class);
            LoginResponse r = (LoginResponse) o;
            r.release();
            assertThat(r.statusClass()).isZero();
            if (last) {
                return r;
            }
        }
    }

    private static LoginRequest empty(boolean transit, boolean cont, String text) {
        return new LoginRequest(transit, cont, LoginStage.SECURITY_NEGOTIATION, LoginStage.SECURITY_NEGOTIATION, 0,
                0, ISID, 0, 1, 0, 1, 0, Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    @Test
    void aBigLoginAnswerIsContinuedAndEveryAbuseEndsCleanlyWithoutLeaks() throws Exception {
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.simple(dir)) {
            for (int round = 0; round < 3; round++) {
                // 1: the whole answer, asked for properly, every segment at most 8192 bytes
                try (TestInitiator i = new TestInitiator(t.port())) {
                    LoginResponse r = bigAnswer(i);
                    assertThat(r.continueFlag()).as("an answer over 8 KiB continues").isTrue();
                    int segments = 1;
                    while (r.continueFlag() && segments < 64) {
                        i.send(empty(false, false, ""));
                        r = (LoginResponse) i.receive();
                        assertThat(r.data().readableBytes()).isLessThanOrEqualTo(8192);
                        r.release();
                        assertThat(r.statusClass()).isZero();
                        segments++;
                    }
                    assertThat(r.continueFlag()).isFalse();
                }
                // 2: never asks for the rest, closes
                try (TestInitiator i = new TestInitiator(t.port())) {
                    bigAnswer(i);
                }
                // 3: asks with text
                endsWithRefusal(t, empty(false, false, "X-more=1\0"));
                // 4: asks with C and T
                endsWithRefusal(t, empty(true, true, ""));
                // 5: a NOP-Out with data instead
                endsWithRefusal(t, new NopOut(true, 0, 5, Bhs.RESERVED_TAG, 1, 0,
                        Unpooled.wrappedBuffer(new byte[4000])));
                // 6: garbage bytes: a header with an absurd data length
                try (TestInitiator i = new TestInitiator(t.port())) {
                    bigAnswer(i);
                    byte[] bhs = new byte[48];
                    bhs[0] = 0x03;
                    bhs[5] = (byte) 0xff;
                    bhs[6] = (byte) 0xff;
                    bhs[7] = (byte) 0xff;
                    i.sendRaw(bhs);
                    Object o = i.receiveWithin(3000);
                    if (o instanceof IscsiPdu p) {
                        p.release();
                        assertThat(p).isInstanceOf(LoginResponse.class);
                    }
                }
            }
            try (TestInitiator ok = new TestInitiator(t.port())) {
                assertThat(ok.login(TargetFixture.TARGET).statusClass()).as("the server still logs in").isZero();
            }
            List<String> reports = leaks.collect();
            assertThat(reports).isEmpty();
        }
    }

    private static void endsWithRefusal(TargetFixture t, IscsiPdu instead) throws Exception {
        try (TestInitiator i = new TestInitiator(t.port())) {
            bigAnswer(i);
            i.send(instead);
            Object o = i.receive();
            assertThat(o).as("answer to %s during a continued Login Response", instead.getClass().getSimpleName())
                    .isInstanceOf(LoginResponse.class);
            LoginResponse r = (LoginResponse) o;
            r.release();
            assertThat(r.statusClass()).as("status class").isEqualTo(2);
            assertThat(i.closedByTarget()).isTrue();
        }
    }
}
