package org.tandem.server.auth;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.iscsi.text.TextValues;
import org.tandem.server.config.ChapAccount;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
                TextValues.binaryValue(mine, 1024).orElseThrow());
        assertThat(reply.get("CHAP_R")).isEqualTo(TextValues.hexConstant(expected));

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

    // ---- encodings (RFC 7143 section 6.1): numbers in decimal or hex, binary values in hex or base64 -------------

    @Test
    void theTargetWritesCHAP_IInDecimalAndCHAP_CInLowerCaseHex() {
        ChapStep step = new ChapAuthenticator(List.of(USER), null).step(keys("CHAP_A", "5"));
        Map<String, String> c = toMap(step.answer());
        assertThat(c.get("CHAP_I")).matches("0|[1-9][0-9]{0,2}");
        assertThat(Integer.parseInt(c.get("CHAP_I"))).isBetween(0, 255);
        assertThat(c.get("CHAP_C")).matches("0x[0-9a-f]{32}");
    }

    @Test
    void chapAListItemsMayBeHex() {
        ChapStep step = new ChapAuthenticator(List.of(USER), null).step(keys("CHAP_A", "0x63,0X7,5"));
        assertThat(step.answer().get(0)).isEqualTo(Map.entry("CHAP_A", "7"));
        ChapStep lower = new ChapAuthenticator(List.of(USER), null).step(keys("CHAP_A", "0b0=,007,0x05"));
        assertThat(lower.answer().get(0)).as("base64 and leading zeros are not numbers").isEqualTo(
                Map.entry("CHAP_A", "5"));
    }

    @Test
    void oneWayChapAcceptsCHAP_RInHexAndBase64WithEitherPrefix() {
        for (ChapAlgorithm a : ChapAlgorithm.values()) {
            for (String prefix : List.of("0x", "0X", "0b", "0B")) {
                ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
                Map<String, String> c = toMap(chap.step(keys("CHAP_A", Integer.toString(a.number()))).answer());
                byte[] r = response(a, c, USER.secret());
                String encoded = prefix + (prefix.endsWith("x") || prefix.endsWith("X")
                        ? HexFormat.of().withUpperCase().formatHex(r) : Base64.getEncoder().encodeToString(r));
                assertThat(chap.step(keys("CHAP_N", "alice", "CHAP_R", encoded)).outcome())
                        .as(a + " " + encoded).isEqualTo(ChapStep.Outcome.SUCCEEDED);
                assertThat(chap.authenticatedUser()).isEqualTo("alice");
            }
        }
    }

    @Test
    void aWrongCHAP_RInBase64Fails() {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
        String wrong = TextValues.base64Constant(response(ChapAlgorithm.MD5, c, "wrongsecret!!"));
        ChapStep s = chap.step(keys("CHAP_N", "alice", "CHAP_R", wrong));
        assertThat(s.outcome()).isEqualTo(ChapStep.Outcome.FAILED);
        assertThat(s.failure()).isEqualTo("wrong CHAP response for user 'alice' (wrong secret)");
    }

    @Test
    void aMalformedCHAP_RFailsWithTheReason() {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
        toMap(chap.step(keys("CHAP_A", "5")).answer());
        ChapStep s = chap.step(keys("CHAP_N", "alice", "CHAP_R", "0bAQI=="));
        assertThat(s.outcome()).isEqualTo(ChapStep.Outcome.FAILED);
        assertThat(s.failure()).startsWith("CHAP_R malformed: ").contains("padding");
    }

    @Test
    void mutualChapWithHexCHAP_IAndBase64CHAP_RAndCHAP_C() {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), TARGET);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "0x5")).answer());
        byte[] mine = new byte[16];
        for (int i = 0; i < mine.length; i++) {
            mine[i] = (byte) (0xf0 + i);
        }
        ChapStep step = chap.step(keys("CHAP_N", "alice",
                "CHAP_R", TextValues.base64Constant(response(ChapAlgorithm.MD5, c, USER.secret())),
                "CHAP_I", "0x07", "CHAP_C", "0B" + Base64.getEncoder().withoutPadding().encodeToString(mine)));
        assertThat(step.outcome()).as(step.failure()).isEqualTo(ChapStep.Outcome.SUCCEEDED);
        Map<String, String> reply = toMap(step.answer());
        byte[] expected = ChapAlgorithm.MD5.response(7, TARGET.secret().getBytes(StandardCharsets.UTF_8), mine);
        assertThat(reply).containsEntry("CHAP_N", "target")
                .containsEntry("CHAP_R", "0x" + HexFormat.of().formatHex(expected)); // Tandem answers in hex
    }

    @Test
    void mutualChapWithHexCHAP_CInUpperCase() {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), TARGET);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
        ChapStep step = chap.step(keys("CHAP_N", "alice", "CHAP_R", answer(ChapAlgorithm.MD5, c, USER.secret()),
                "CHAP_I", "0XfF", "CHAP_C", "0XABCDEF"));
        assertThat(step.outcome()).isEqualTo(ChapStep.Outcome.SUCCEEDED);
        byte[] expected = ChapAlgorithm.MD5.response(255, TARGET.secret().getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xab, (byte) 0xcd, (byte) 0xef});
        assertThat(toMap(step.answer())).containsEntry("CHAP_R", TextValues.hexConstant(expected));
    }

    @Test
    void mutualChapRefusesBadCHAP_IAndCHAP_C() {
        assertThat(mutualWith("0x100", "0x0102")).contains("CHAP_I").contains("out of range 0 to 255");
        assertThat(mutualWith("0bBw==", "0x0102")).contains("CHAP_I").contains("base64");
        assertThat(mutualWith("-1", "0x0102")).contains("CHAP_I");
        assertThat(mutualWith("7", "0x" + "00".repeat(1025))).contains("CHAP_C").contains("longer than 1024 bytes");
        assertThat(mutualWith("7", "0b")).contains("CHAP_C").contains("no digits");
        assertThat(mutualWith("7", "258")).contains("CHAP_C").contains("decimal-constant");
    }

    /** The failure of a mutual exchange whose own CHAP_R is right, with these CHAP_I and CHAP_C. */
    private static String mutualWith(String id, String challenge) {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), TARGET);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
        ChapStep s = chap.step(keys("CHAP_N", "alice", "CHAP_R", answer(ChapAlgorithm.MD5, c, USER.secret()),
                "CHAP_I", id, "CHAP_C", challenge));
        assertThat(s.outcome()).isEqualTo(ChapStep.Outcome.FAILED);
        return s.failure();
    }

    private static String answer(ChapAlgorithm a, Map<String, String> challenge, String secret) {
        return TextValues.hexConstant(response(a, challenge, secret));
    }

    /** What an initiator computes from the target's CHAP_I and CHAP_C (decimal and hex, as Tandem sends them). */
    private static byte[] response(ChapAlgorithm a, Map<String, String> challenge, String secret) {
        return a.response(Integer.parseInt(challenge.get("CHAP_I")), secret.getBytes(StandardCharsets.UTF_8),
                HexFormat.of().parseHex(challenge.get("CHAP_C").substring(2)));
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
