package org.tandem.server.negotiation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile values for every numeric key (RFC 7143 sections 6.1, 13): 2^32, 2^63, 2^64, hex beyond 16 digits,
 * signs, spaces, other scripts' digits, base64 where a number belongs. Whatever the answer, the agreed parameters
 * must stay inside the RFC ranges, and nothing but a NegotiationException may escape.
 */
class NegotiatorAttackTest {
    private static final String[] EDGES = {
        "0", "1", "511", "512", "513", "3600", "3601", "65535", "65536", "16777215", "16777216", "4294967295",
        "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999", "0x", "0X", "0x0", "0xFFFFFF", "0x1000000", "0xFFFFFFFF", "0x100000000",
        "0x7FFFFFFFFFFFFFFF", "0x8000000000000000", "0xFFFFFFFFFFFFFFFF", "0x10000000000000000",
        "0x000000000000000000000000000200", "0b/w==", "0bAAAAAg==", "-1", "+512", " 512", "512 ", "0512",
        "512\t", "\uFF15\uFF11\uFF12", "\u0665\u0661\u0662", "0x1_0", "0xg", "", "1e3", "512,1024", "512~1024",
    };

    private static Negotiator target() {
        return new Negotiator(Map.of(
                IscsiKey.HEADER_DIGEST, "None,CRC32C",
                IscsiKey.DATA_DIGEST, "None",
                IscsiKey.MAX_CONNECTIONS, "8",
                IscsiKey.INITIAL_R2T, "No",
                IscsiKey.IMMEDIATE_DATA, "Yes",
                IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH, "262144",
                IscsiKey.MAX_BURST_LENGTH, "262144",
                IscsiKey.FIRST_BURST_LENGTH, "65536",
                IscsiKey.ERROR_RECOVERY_LEVEL, "2",
                IscsiKey.DEFAULT_TIME2WAIT, "2"), 131072);
    }

    @Test
    void everyNumericKeyAtEveryEdgeStaysInItsRfcRange() {
        String[] keys = {"MaxRecvDataSegmentLength", "MaxBurstLength", "FirstBurstLength", "DefaultTime2Wait",
            "DefaultTime2Retain", "MaxOutstandingR2T", "MaxConnections", "ErrorRecoveryLevel"};
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            for (String value : EDGES) {
                Negotiator n = target();
                List<Map.Entry<String, String>> answer;
                try {
                    answer = n.answer(List.of(Map.entry(key, value)));
                } catch (NegotiationException e) {
                    continue; // a refused login is a fine answer
                } catch (RuntimeException e) {
                    problems.add(key + "=" + printable(value) + " threw " + e);
                    continue;
                }
                SessionParameters p;
                try {
                    p = n.parameters();
                } catch (RuntimeException e) {
                    problems.add(key + "=" + printable(value) + " parameters() threw " + e);
                    continue;
                }
                check(problems, key, value, answer, "MaxRecvDataSegmentLength", p.maxRecvDataSegmentLength(),
                        512, 16777215);
                check(problems, key, value, answer, "MaxXmitDataSegmentLength", p.maxXmitDataSegmentLength(),
                        512, 16777215);
                check(problems, key, value, answer, "MaxBurstLength", p.maxBurstLength(), 512, 16777215);
                check(problems, key, value, answer, "FirstBurstLength", p.firstBurstLength(), 512, 16777215);
                check(problems, key, value, answer, "DefaultTime2Wait", p.defaultTime2Wait(), 0, 3600);
                check(problems, key, value, answer, "DefaultTime2Retain", p.defaultTime2Retain(), 0, 3600);
                check(problems, key, value, answer, "MaxOutstandingR2T", p.maxOutstandingR2T(), 1, 65535);
                check(problems, key, value, answer, "MaxConnections", p.maxConnections(), 1, 65535);
                check(problems, key, value, answer, "ErrorRecoveryLevel", p.errorRecoveryLevel(), 0, 2);
                if (p.firstBurstLength() > p.maxBurstLength()) {
                    problems.add(key + "=" + printable(value) + " -> FirstBurstLength " + p.firstBurstLength()
                            + " > MaxBurstLength " + p.maxBurstLength() + " answer " + answer);
                }
                for (Map.Entry<String, String> e : answer) {
                    if (e.getValue().length() > 255) {
                        problems.add(key + "=" + printable(value) + " answered a value longer than 255 bytes");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Hex and decimal forms of one number must agree: 0x200 is 512 whatever the leading zeros. */
    @Test
    void hexAndDecimalOfTheSameNumberAgree() throws Exception {
        Negotiator dec = target();
        Negotiator hex = target();
        Negotiator padded = target();
        List<Map.Entry<String, String>> a = dec.answer(List.of(Map.entry("MaxBurstLength", "4096")));
        List<Map.Entry<String, String>> b = hex.answer(List.of(Map.entry("MaxBurstLength", "0X1000")));
        List<Map.Entry<String, String>> c = padded.answer(List.of(Map.entry("MaxBurstLength",
                "0x00000000000000000000000000001000")));
        assertThat(b).isEqualTo(a);
        assertThat(c).isEqualTo(a);
        assertThat(hex.parameters().maxBurstLength()).isEqualTo(4096);
        assertThat(padded.parameters().maxBurstLength()).isEqualTo(4096);
    }

    private static void check(List<String> problems, String key, String value, List<Map.Entry<String, String>> answer,
                              String what, int got, int min, int max) {
        if (got < min || got > max) {
            problems.add(key + "=" + printable(value) + " -> " + what + " " + got + " outside " + min + ".." + max
                    + " (answer " + answer + ")");
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return "'" + b + "'";
    }
}
