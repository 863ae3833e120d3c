package org.tandem.server.negotiation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NegotiatorTest {

    private static Negotiator target() {
        return new Negotiator(Map.of(
                IscsiKey.HEADER_DIGEST, "None,CRC32C",
                IscsiKey.DATA_DIGEST, "None",
                IscsiKey.MAX_CONNECTIONS, "1",
                IscsiKey.INITIAL_R2T, "No",
                IscsiKey.IMMEDIATE_DATA, "Yes",
                IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH, "262144",
                IscsiKey.MAX_BURST_LENGTH, "262144",
                IscsiKey.FIRST_BURST_LENGTH, "65536",
                IscsiKey.ERROR_RECOVERY_LEVEL, "0",
                IscsiKey.DEFAULT_TIME2WAIT, "2"), 131072);
    }

    private static List<Map.Entry<String, String>> offer(Negotiator n, String... kv) throws NegotiationException {
        List<Map.Entry<String, String>> offers = new java.util.ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            offers.add(Map.entry(kv[i], kv[i + 1]));
        }
        return n.answer(offers);
    }

    @Test
    void numericKeysTakeTheMinimumOrMaximumAsTheRuleSays() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "MaxBurstLength", "16776192", "FirstBurstLength", "1024", "DefaultTime2Wait", "5",
                "MaxConnections", "8", "ErrorRecoveryLevel", "2")).containsExactly(
                Map.entry("MaxBurstLength", "262144"), Map.entry("FirstBurstLength", "1024"),
                Map.entry("DefaultTime2Wait", "5"), Map.entry("MaxConnections", "1"),
                Map.entry("ErrorRecoveryLevel", "0"));
        SessionParameters p = n.parameters();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(1024);
        assertThat(p.defaultTime2Wait()).isEqualTo(5);
    }

    @Test
    void booleansFollowOrAndAnd() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "InitialR2T", "Yes", "ImmediateData", "No")).containsExactly(
                Map.entry("InitialR2T", "Yes"), Map.entry("ImmediateData", "No"));
        Negotiator m = target();
        assertThat(offer(m, "InitialR2T", "No", "ImmediateData", "Yes")).containsExactly(
                Map.entry("InitialR2T", "No"), Map.entry("ImmediateData", "Yes"));
    }

    @Test
    void listKeysPickTheInitiatorsFirstSupportedChoice() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "HeaderDigest", "CRC32C,None", "DataDigest", "CRC32C")).containsExactly(
                Map.entry("HeaderDigest", "CRC32C"), Map.entry("DataDigest", "Reject"));
        assertThat(n.parameters().headerDigest()).isTrue();
        assertThat(n.parameters().dataDigest()).isFalse();
    }

    @Test
    void malformedOrOutOfRangeValuesAreRejectedAndDefaultsStand() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "MaxBurstLength", "100", "InitialR2T", "maybe", "MaxOutstandingR2T", "x")).containsExactly(
                Map.entry("MaxBurstLength", "Reject"), Map.entry("InitialR2T", "Reject"),
                Map.entry("MaxOutstandingR2T", "Reject"));
        assertThat(n.parameters().maxBurstLength()).isEqualTo(262144);
    }

    @Test
    void unknownKeysAreNotUnderstoodAndTargetDeclaredKeysRejected() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "X-com.example.Foo", "1", "TargetAlias", "x", "OFMarkInt", "2048~8192",
                "OFMarker", "Yes")).containsExactly(
                Map.entry("X-com.example.Foo", "NotUnderstood"), Map.entry("TargetAlias", "Reject"),
                Map.entry("OFMarkInt", "Irrelevant"), Map.entry("OFMarker", "No"));
    }

    @Test
    void maxRecvDataSegmentLengthIsDeclaredEachWay() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "MaxRecvDataSegmentLength", "262144")).containsExactly(
                Map.entry("MaxRecvDataSegmentLength", "262144"));
        assertThat(n.declarations()).isEmpty();
        SessionParameters p = n.parameters();
        assertThat(p.maxRecvDataSegmentLength()).isEqualTo(262144);
        assertThat(p.maxXmitDataSegmentLength()).isEqualTo(131072); // capped by MaxXmitDataSegmentLength
    }

    @Test
    void sessionKeysAreIrrelevantInDiscovery() throws Exception {
        Negotiator n = target();
        n.discovery(true);
        assertThat(offer(n, "MaxBurstLength", "4096", "HeaderDigest", "None")).containsExactly(
                Map.entry("MaxBurstLength", "Irrelevant"), Map.entry("HeaderDigest", "None"));
    }

    @Test
    void aKeyOfferedTwiceFailsTheLogin() throws Exception {
        Negotiator n = target();
        offer(n, "MaxBurstLength", "4096");
        assertThatThrownBy(() -> offer(n, "MaxBurstLength", "8192")).isInstanceOf(NegotiationException.class);
    }

    @Test
    void identityKeysRepeatedWithTheSameValueAreTakenAndWithAnotherRefused() throws Exception {
        Negotiator n = target();
        offer(n, "InitiatorName", "iqn.2026-11.org.tandem.test:host", "TargetName", "iqn.2026-11.org.tandem.test:t",
                "SessionType", "Normal");
        // libiscsi's second security-stage request, after AuthMethod=None: the same three again, nothing to answer.
        assertThat(offer(n, "InitiatorName", "iqn.2026-11.org.tandem.test:host", "TargetName",
                "iqn.2026-11.org.tandem.test:t", "SessionType", "Normal")).isEmpty();
        assertThatThrownBy(() -> offer(n, "InitiatorName", "iqn.2026-11.org.tandem.test:other"))
                .isInstanceOf(NegotiationException.class);
    }

    // ---- numerical-values in hex (RFC 7143 section 6.1) ---------------------------------------------------------

    @Test
    void maxRecvDataSegmentLengthInHexIsReadAndStoredAsANumber() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "MaxRecvDataSegmentLength", "0x1000")).containsExactly(
                Map.entry("MaxRecvDataSegmentLength", "262144"));
        assertThat(n.parameters().maxXmitDataSegmentLength()).isEqualTo(4096);
        Negotiator upper = target();
        assertThat(offer(upper, "MaxRecvDataSegmentLength", "0X2000")).containsExactly(
                Map.entry("MaxRecvDataSegmentLength", "262144"));
        assertThat(upper.parameters().maxXmitDataSegmentLength()).isEqualTo(8192);
        assertThat(upper.connectionParameters(upper.parameters()).maxXmitDataSegmentLength()).isEqualTo(8192);
    }

    @Test
    void everyNumericKeyTakesHexAndAnswersInDecimal() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "MaxBurstLength", "0x10000", "FirstBurstLength", "0X400", "DefaultTime2Wait", "0x5",
                "DefaultTime2Retain", "0x0", "MaxOutstandingR2T", "0x0001", "MaxConnections", "0x8",
                "ErrorRecoveryLevel", "0x2", "iSCSIProtocolLevel", "0x2")).containsExactly(
                Map.entry("MaxBurstLength", "65536"), Map.entry("FirstBurstLength", "1024"),
                Map.entry("DefaultTime2Wait", "5"), Map.entry("DefaultTime2Retain", "0"),
                Map.entry("MaxOutstandingR2T", "1"), Map.entry("MaxConnections", "1"),
                Map.entry("ErrorRecoveryLevel", "0"), Map.entry("iSCSIProtocolLevel", "1"));
        SessionParameters p = n.parameters();
        assertThat(p.maxBurstLength()).isEqualTo(65536);
        assertThat(p.firstBurstLength()).isEqualTo(1024);
        assertThat(p.defaultTime2Wait()).isEqualTo(5);
        assertThat(p.defaultTime2Retain()).isZero();
        assertThat(p.maxOutstandingR2T()).isEqualTo(1);
        assertThat(p.maxConnections()).isEqualTo(1);
        assertThat(p.errorRecoveryLevel()).isZero();
    }

    @Test
    void hexAndDecimalOfTheSameNumberGetTheSameAnswerForEveryNumericKey() throws Exception {
        for (IscsiKey key : IscsiKey.values()) {
            if (!key.numeric() || key.rule() == NegotiationRule.DECLARATIVE
                    && key != IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH) {
                continue;
            }
            for (long v : new long[] {key.min(), key.max(), (key.min() + key.max()) / 2}) {
                List<Map.Entry<String, String>> decimal = offer(target(), key.keyName(), Long.toString(v));
                List<Map.Entry<String, String>> lower = offer(target(), key.keyName(), "0x" + Long.toHexString(v));
                List<Map.Entry<String, String>> upper = offer(target(), key.keyName(),
                        "0X" + Long.toHexString(v).toUpperCase());
                assertThat(decimal).as(key + "=" + v).hasSize(1);
                assertThat(decimal.get(0).getValue()).as(key + "=" + v).matches("0|[1-9][0-9]*");
                assertThat(lower).as(key + "=" + v).isEqualTo(decimal);
                assertThat(upper).as(key + "=" + v).isEqualTo(decimal);
            }
        }
    }

    @Test
    void numbersInBase64OrOutOfRangeOrMalformedAreRejected() throws Exception {
        Negotiator n = target();
        assertThat(offer(n, "MaxBurstLength", "0bAAEAAA==", "FirstBurstLength", "0x1FF", "DefaultTime2Wait", "0xE11",
                "MaxConnections", "0x10000000000000000", "MaxOutstandingR2T", "01", "DefaultTime2Retain", "0x",
                "ErrorRecoveryLevel", "0x3")).extracting(Map.Entry::getValue).containsOnly("Reject");
        SessionParameters p = n.parameters();
        assertThat(p.maxBurstLength()).isEqualTo(262144);
        assertThat(p.firstBurstLength()).isEqualTo(65536);
        Negotiator m = target();
        assertThat(offer(m, "MaxRecvDataSegmentLength", "0x1000000")).containsExactly(
                Map.entry("MaxRecvDataSegmentLength", "Reject"));
        assertThat(m.parameters().maxXmitDataSegmentLength()).isEqualTo(8192); // the RFC default stands
    }

    @Test
    void theTargetsOwnNumbersAreCheckedToo() {
        assertThatThrownBy(() -> new Negotiator(Map.of(IscsiKey.MAX_BURST_LENGTH, "0x100"), 8192))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MaxBurstLength")
                .hasMessageContaining("out of range");
        Negotiator hex = new Negotiator(Map.of(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH, "0x2000"), 8192);
        assertThat(hex.declarations()).containsExactly(Map.entry("MaxRecvDataSegmentLength", "8192"));
    }
}
