package org.tandem.server.auth;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.iscsi.text.TextValues;
import org.tandem.server.config.ChapAccount;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CHAP with hostile encodings (RFC 7143 sections 6.1, 12.1.3). */
class ChapAttackTest {
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

    private static Map<String, String> toMap(List<Map.Entry<String, String>> pairs) {
        Map<String, String> m = new HashMap<>();
        pairs.forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static byte[] targetChallenge(Map<String, String> c) {
        return HexFormat.of().parseHex(c.get("CHAP_C").substring(2));
    }

    private static String response(Map<String, String> c) {
        return TextValues.hexConstant(ChapAlgorithm.MD5.response(Integer.parseInt(c.get("CHAP_I")),
                USER.secret().getBytes(StandardCharsets.UTF_8), targetChallenge(c)));
    }

    /** The target's own challenge reflected back in every spelling: base64, upper-case hex, 0X, leading zeros. */
    @Test
    void aReflectedChallengeIsRefusedWhateverItsEncoding() {
        List<String> accepted = new ArrayList<>();
        for (int form = 0; form < 5; form++) {
            ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), TARGET);
            Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
            byte[] mine = targetChallenge(c);
            String hex = HexFormat.of().formatHex(mine);
            String reflected = switch (form) {
                case 0 -> "0b" + Base64.getEncoder().encodeToString(mine);
                case 1 -> "0x" + hex.toUpperCase();
                case 2 -> "0X" + hex;
                case 3 -> "0B" + Base64.getEncoder().withoutPadding().encodeToString(mine);
                default -> "0x" + hex;
            };
            ChapStep s = chap.step(keys("CHAP_N", "alice", "CHAP_R", response(c), "CHAP_I", "1",
                    "CHAP_C", reflected));
            if (s.outcome() != ChapStep.Outcome.FAILED) {
                accepted.add(reflected);
            }
        }
        assertThat(accepted).isEmpty();
    }

    /** CHAP_I outside 0..255 and malformed CHAP_C fail the login; nothing throws. */
    @Test
    void badIdentifiersAndChallengesFail() {
        String[][] cases = {
            {"256", "0x0102030405060708090a0b0c0d0e0f10"}, {"0x100", "0x0102"}, {"-1", "0x0102"},
            {"18446744073709551616", "0x0102"}, {"0xFFFFFFFFFFFFFFFF", "0x0102"}, {"1", "0x"}, {"1", "0b"},
            {"1", "0b===="}, {"1", "0bA"}, {"1", "0bAB=="}, {"1", "0x" + "00".repeat(1025)}, {"1", "1234"},
            {"1", "0b" + "A".repeat(1368)}, {"", "0x01"}, {"1", ""},
        };
        List<String> wrong = new ArrayList<>();
        for (String[] k : cases) {
            ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), TARGET);
            Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
            try {
                ChapStep s = chap.step(keys("CHAP_N", "alice", "CHAP_R", response(c), "CHAP_I", k[0],
                        "CHAP_C", k[1]));
                if (s.outcome() != ChapStep.Outcome.FAILED) {
                    wrong.add("CHAP_I=" + k[0] + " CHAP_C=" + k[1].substring(0, Math.min(20, k[1].length()))
                            + " -> " + s.outcome());
                }
            } catch (RuntimeException e) {
                wrong.add("CHAP_I=" + k[0] + " threw " + e);
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** A CHAP_R in base64 that decodes to the right digest succeeds; one with trailing junk bits fails. */
    @Test
    void base64ResponsesAreExact() {
        ChapAuthenticator chap = new ChapAuthenticator(List.of(USER), null);
        Map<String, String> c = toMap(chap.step(keys("CHAP_A", "5")).answer());
        byte[] r = ChapAlgorithm.MD5.response(Integer.parseInt(c.get("CHAP_I")),
                USER.secret().getBytes(StandardCharsets.UTF_8), targetChallenge(c));
        String b64 = Base64.getEncoder().encodeToString(r); // 16 bytes: 22 chars + "=="
        ChapAuthenticator junk = new ChapAuthenticator(List.of(USER), null);
        Map<String, String> c2 = toMap(junk.step(keys("CHAP_A", "5")).answer());
        byte[] r2 = ChapAlgorithm.MD5.response(Integer.parseInt(c2.get("CHAP_I")),
                USER.secret().getBytes(StandardCharsets.UTF_8), targetChallenge(c2));
        String b2 = Base64.getEncoder().withoutPadding().encodeToString(r2);
        char last = b2.charAt(b2.length() - 1);
        String withJunkBits = b2.substring(0, b2.length() - 1) + (char) (last == 'A' ? 'B' : last + 1);
        assertThat(chap.step(keys("CHAP_N", "alice", "CHAP_R", "0b" + b64)).outcome())
                .isEqualTo(ChapStep.Outcome.SUCCEEDED);
        assertThat(junk.step(keys("CHAP_N", "alice", "CHAP_R", "0b" + withJunkBits)).outcome())
                .isEqualTo(ChapStep.Outcome.FAILED);
    }
}
