package org.tandem.target.auth;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.text.BinaryValue;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.target.config.ChapAccount;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ChapAuthenticatorTest {
    private static final ChapAccount USER = new ChapAccount("alice", "alicesecret12");
    private static final ChapAccount TARGET = new ChapAccount("target", "targetsecret1");

    private static TextParameters keys(String... kv) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            s.append(kv[i]).append('=').append(kv[i + 1]).append('\0');
        }
        try {
            return TextParameters.parse(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void rfc1994ResponseVectorForMd5() {
        // MD5(0x01 || "secret" || 0x00..0x0f), computed independently with Python's hashlib
        byte[] challenge = new byte[16];
        for (int i = 0; i < 16; i++) {
            challenge[i] = (byte) i;
        }
        byte[] r = ChapAlgorithm.MD5.response(1, "secret".getBytes(StandardCharsets.UTF_8), challenge);
        assertThat(HexFormat.of().formatHex(r)).isEqualTo(Md5Vector.EXPECTED);
    }

    @Test
    void picksTheFirstSupportedAlgorithmOfTheListWithIanaNumbers() {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
        ChapStep step = chap.step(keys("CHAP_A", "99,7,5"));
        assertThat(step.outcome()).isEqualTo(ChapStep.Outcome.CONTINUE);
        assertThat(step.answer().get(0)).isEqualTo(Map.entry("CHAP_A", "7"));   // 7 = SHA-256 per IANA
        assertThat(step.answer().get(2).getValue()).hasSize(2 + 64);            // a 32-byte challenge
    }

    @Test
    void oneWayChapSucceedsWithTheRightSecretAndFailsWithAWrongOne() throws Exception {
        for (ChapAlgorithm a : ChapAlgorithm.values()) {
            ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
            Map<String, String> c = toMap(chap.step(keys("CHAP_A", Integer.toString(a.number()))).answer());
            String good = answer(a, c, USER.secret());
            assertThat(chap.step(keys("CHAP_N", "alice", "CHAP_R", good)).outcome())
                    .as(a.name()).isEqualTo(ChapStep.Outcome.SUCCEEDED);
            ChapAuthenticator other = new ChapAuthenticator(List.of(USER), null);
            Map<String, String> c2 = toMap(other.step(keys("CHAP_A", Integer.toString(a.number()))).answer());
            ChapStep bad = other.step(keys("CHAP_N", "alice", "CHAP_R", answer(a, c2, "wrongsecret!!")));
            assertThat(bad.outcome()).isEqualTo(ChapStep.Outcome.FAILED);
        }
    }

    @Test
    void mutualChapAnswersWithTheOutgoingAccountAndRefusesAReflectedChallenge() throws Exception {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), TARGET);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
        String mine = "0x" + "ab".repeat(16);
        ChapStep step = chap.step(keys("CHAP_N", "alice", "CHAP_R", answer(ChapAlgorithm.MD5, c, USER.secret()),
                "CHAP_I", "9", "CHAP_C", mine));
        assertThat(step.outcome()).isEqualTo(ChapStep.Outcome.SUCCEEDED);
        Map<String, String> reply = toMap(step.answer());
        assertThat(reply.get("CHAP_N")).isEqualTo("target");
        byte[] expected = ChapAlgorithm.MD5.response(9, TARGET.secret().getBytes(StandardCharsets.UTF_8),
                BinaryValue.decode(mine));
        assertThat(BinaryValue.decode(reply.get("CHAP_R"))).isEqualTo(expected);

        ChapAuthenticator reflected = new ChapAuthenticator(List.of(USER), TARGET);
        Map<String, String> c2 = toMap(reflected.step(keys("CHAP_A", "5")).answer());
        ChapStep refused = reflected.step(keys("CHAP_N", "alice", "CHAP_R",
                answer(ChapAlgorithm.MD5, c2, USER.secret()), "CHAP_I", "1", "CHAP_C", c2.get("CHAP_C")));
        assertThat(refused.outcome()).isEqualTo(ChapStep.Outcome.FAILED);
        assertThat(refused.failure()).contains("reflected");
    }

    @Test
    void mutualChapWithoutAnOutgoingAccountFails() throws Exception {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
        ChapStep s = chap.step(keys("CHAP_N", "alice", "CHAP_R", answer(ChapAlgorithm.MD5, c, USER.secret()),
                "CHAP_I", "1", "CHAP_C", "0x0102"));
        assertThat(s.outcome()).isEqualTo(ChapStep.Outcome.FAILED);
    }

    @Test
    void noSupportedAlgorithmFails() {
        assertThat(new ChapAuthenticator(List.of(USER), null).step(keys("CHAP_A", "1,2,x")).outcome())
                .isEqualTo(ChapStep.Outcome.FAILED);
    }

    private static String answer(ChapAlgorithm a, Map<String, String> challenge, String secret) throws Exception {
        return BinaryValue.encodeHex(a.response(Integer.parseInt(challenge.get("CHAP_I")),
                secret.getBytes(StandardCharsets.UTF_8), BinaryValue.decode(challenge.get("CHAP_C"))));
    }

    private static Map<String, String> toMap(List<Map.Entry<String, String>> pairs) {
        Map<String, String> m = new java.util.HashMap<>();
        pairs.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    /** The expected value, kept apart so its provenance is plain. */
    private static final class Md5Vector {
        static final String EXPECTED = "740e86463bda3a4d7017d6e0fba0699d";
    }
}
