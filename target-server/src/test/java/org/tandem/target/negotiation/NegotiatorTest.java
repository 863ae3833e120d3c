package org.tandem.target.negotiation;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NegotiatorTest {

    private static Negotiator target() {
        return new Negotiator(Map.of(
                NegotiationKey.HEADER_DIGEST, "None,CRC32C",
                NegotiationKey.DATA_DIGEST, "None",
                NegotiationKey.MAX_CONNECTIONS, "1",
                NegotiationKey.INITIAL_R2T, "No",
                NegotiationKey.IMMEDIATE_DATA, "Yes",
                NegotiationKey.MAX_RECV_DATA_SEGMENT_LENGTH, "262144",
                NegotiationKey.MAX_BURST_LENGTH, "262144",
                NegotiationKey.FIRST_BURST_LENGTH, "65536",
                NegotiationKey.ERROR_RECOVERY_LEVEL, "0",
                NegotiationKey.DEFAULT_TIME2WAIT, "2"), 131072);
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
}
