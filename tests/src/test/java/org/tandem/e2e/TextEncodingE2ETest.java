package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.text.TextValues;
import org.tandem.server.auth.ChapAlgorithm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers and binary values in the encodings RFC 7143 section 6.1 allows, over a real socket to the running
 * server: hex numerical-values ("0x" and "0X") for MaxRecvDataSegmentLength and the burst lengths, and mutual CHAP
 * with a hex CHAP_I and base64 CHAP_R/CHAP_C, up to full feature phase, INQUIRY and READ. The Data-In PDUs of a
 * READ show that the hex MaxRecvDataSegmentLength took effect.
 */
class TextEncodingE2ETest {
    private static final String INITIATOR = "iqn.2026-11.org.tandem.test:encodings";
    private static final String USER = "vmhost";
    private static final String SECRET = "vmhostsecret1";
    private static final String TARGET_USER = "storage";
    private static final String TARGET_SECRET = "storagesecret";
    private static final int READ_BYTES = 16384;

    @TempDir
    Path dir;

    private TargetFixture mutualChapTarget() throws Exception {
        return TargetFixture.simple(dir, "IncomingUser " + USER + " " + SECRET,
                "OutgoingUser " + TARGET_USER + " " + TARGET_SECRET);
    }

    @Test
    void lowerCaseHexNumbersAndMutualChapWithHexIdentifierAndBase64Response() throws Exception {
        try (TargetFixture t = mutualChapTarget(); TestInitiator i = new TestInitiator(t.port())) {
            long isid = 0x400000000201L;
            byte[] myChallenge = HexFormat.of().parseHex("f0e1d2c3b4a5968778695a4b3c2d1e0f");
            mutualChap(i, isid, myChallenge, true);
            TestInitiator.LoginAnswer op = i.loginKeys(true, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION,
                    LoginStage.FULL_FEATURE_PHASE, isid, "HeaderDigest=None\0DataDigest=None\0"
                            + "MaxRecvDataSegmentLength=0x1000\0MaxBurstLength=0x10000\0FirstBurstLength=0x4000\0"
                            + "DefaultTime2Wait=0x2\0MaxOutstandingR2T=0x1\0ErrorRecoveryLevel=0x0\0");
            assertFullFeaturePhase(op);
            assertThat(op.keys()).containsEntry("MaxBurstLength", "65536").containsEntry("FirstBurstLength", "16384")
                    .containsEntry("DefaultTime2Wait", "2").containsEntry("MaxOutstandingR2T", "1")
                    .containsEntry("ErrorRecoveryLevel", "0").containsKey("MaxRecvDataSegmentLength");
            inquiryAndRead(i, op.response().expCmdSn(), 0x1000);
        }
    }

    @Test
    void upperCaseHexNumbersAndMutualChapWithBase64ChallengeToo() throws Exception {
        try (TargetFixture t = mutualChapTarget(); TestInitiator i = new TestInitiator(t.port())) {
            long isid = 0x400000000202L;
            byte[] myChallenge = new byte[24];
            for (int k = 0; k < myChallenge.length; k++) {
                myChallenge[k] = (byte) (k * 37 + 11);
            }
            mutualChap(i, isid, myChallenge, false);
            TestInitiator.LoginAnswer op = i.loginKeys(true, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION,
                    LoginStage.FULL_FEATURE_PHASE, isid, "MaxRecvDataSegmentLength=0X2000\0"
                            + "MaxBurstLength=0X40000\0FirstBurstLength=0X2000\0MaxConnections=0X1\0");
            assertFullFeaturePhase(op);
            assertThat(op.keys()).containsEntry("MaxBurstLength", "262144").containsEntry("FirstBurstLength", "8192")
                    .containsEntry("MaxConnections", "1");
            inquiryAndRead(i, op.response().expCmdSn(), 0x2000);
        }
    }

    @Test
    void aWrongChapResponseInBase64FailsTheLoginWithAuthenticationFailure() throws Exception {
        try (TargetFixture t = mutualChapTarget(); TestInitiator i = new TestInitiator(t.port())) {
            long isid = 0x400000000203L;
            Map<String, String> challenge = chapChallenge(i, isid);
            byte[] wrong = response(ChapAlgorithm.MD5, challenge, "notthesecret1");
            TestInitiator.LoginAnswer refused = i.loginKeys(true, LoginStage.SECURITY_NEGOTIATION,
                    LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, isid,
                    "CHAP_N=" + USER + "\0CHAP_R=0b" + base64(wrong) + "\0");
            assertThat(refused).isNotNull();
            assertThat(refused.response().statusClass()).as("status class: initiator error").isEqualTo(0x02);
            assertThat(refused.response().statusDetail()).as("authentication failure").isEqualTo(0x01);
            assertThat(i.closedByTarget()).isTrue();
        }
    }

    /** AuthMethod, then CHAP_A (in hex): returns the target's CHAP_A, CHAP_I and CHAP_C. */
    private static Map<String, String> chapChallenge(TestInitiator i, long isid) throws Exception {
        TestInitiator.LoginAnswer first = i.loginKeys(false, LoginStage.SECURITY_NEGOTIATION,
                LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, isid, "InitiatorName=" + INITIATOR + "\0TargetName="
                        + TargetFixture.TARGET + "\0SessionType=Normal\0AuthMethod=CHAP\0");
        assertThat(first.response().statusClass()).isZero();
        assertThat(first.keys()).containsEntry("AuthMethod", "CHAP");
        TestInitiator.LoginAnswer second = i.loginKeys(false, LoginStage.SECURITY_NEGOTIATION,
                LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, isid, "CHAP_A=0x5\0");
        assertThat(second.response().statusClass()).isZero();
        assertThat(second.keys()).containsEntry("CHAP_A", "5").containsKeys("CHAP_I", "CHAP_C");
        return second.keys();
    }

    /**
     * The whole security stage with mutual CHAP (MD5): our CHAP_R in base64, our CHAP_I as "0x07", our CHAP_C in
     * hex or base64; checks the target's own CHAP_R (Tandem answers in lower-case hex) and the move to the
     * operational stage.
     */
    private static void mutualChap(TestInitiator i, long isid, byte[] myChallenge, boolean hexChallenge)
            throws Exception {
        Map<String, String> challenge = chapChallenge(i, isid);
        byte[] mine = response(ChapAlgorithm.MD5, challenge, SECRET);
        String challengeText = hexChallenge ? "0x" + HexFormat.of().formatHex(myChallenge)
                : "0B" + Base64.getEncoder().withoutPadding().encodeToString(myChallenge);
        TestInitiator.LoginAnswer third = i.loginKeys(true, LoginStage.SECURITY_NEGOTIATION,
                LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, isid, "CHAP_N=" + USER + "\0CHAP_R=0b" + base64(mine)
                        + "\0CHAP_I=0x07\0CHAP_C=" + challengeText + "\0");
        assertThat(third).isNotNull();
        assertThat(third.response().statusClass()).as("mutual CHAP accepted").isZero();
        assertThat(third.response().transit()).isTrue();
        assertThat(third.response().nextStage()).isEqualTo(LoginStage.LOGIN_OPERATIONAL_NEGOTIATION);
        byte[] expected = ChapAlgorithm.MD5.response(7, TARGET_SECRET.getBytes(StandardCharsets.UTF_8), myChallenge);
        assertThat(third.keys()).containsEntry("CHAP_N", TARGET_USER)
                .containsEntry("CHAP_R", "0x" + HexFormat.of().formatHex(expected));
    }

    /** The initiator's CHAP response to the target's CHAP_I and CHAP_C. */
    private static byte[] response(ChapAlgorithm a, Map<String, String> challenge, String secret) {
        return a.response(Integer.parseInt(challenge.get("CHAP_I")), secret.getBytes(StandardCharsets.UTF_8),
                TextValues.binaryValue(challenge.get("CHAP_C"), 1024).orElseThrow());
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static void assertFullFeaturePhase(TestInitiator.LoginAnswer op) {
        assertThat(op).isNotNull();
        assertThat(op.response().statusClass()).as("login accepted").isZero();
        assertThat(op.response().transit()).isTrue();
        assertThat(op.response().nextStage()).isEqualTo(LoginStage.FULL_FEATURE_PHASE);
        assertThat(op.response().tsih()).isNotZero();
    }

    /**
     * INQUIRY, then a TEST UNIT READY that takes the power-on unit attention, READ CAPACITY(10) and a READ(10) of
     * 16 KiB whose Data-In PDUs must each fit the MaxRecvDataSegmentLength the initiator declared in hex.
     */
    private static void inquiryAndRead(TestInitiator i, int cmdSn, int maxRecv) throws Exception {
        TestInitiator.ReadResult inquiry = i.read(new byte[] {0x12, 0, 0, 0, 36, 0}, 10, cmdSn++, 36);
        assertThat(inquiry.status()).as("INQUIRY status").isZero();
        assertThat(inquiry.data()).hasSize(36);
        assertThat(inquiry.data()[0] & 0x1f).as("peripheral device type: direct access").isZero();

        i.command(new byte[6], 11, cmdSn++); // TEST UNIT READY: CHECK CONDITION with the unit attention, or GOOD
        Object testUnitReady = i.receive();
        assertThat(testUnitReady).isInstanceOf(ScsiResponse.class);
        ((ScsiResponse) testUnitReady).release();

        TestInitiator.ReadResult capacity = i.read(new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 12, cmdSn++, 8);
        assertThat(capacity.status()).as("READ CAPACITY(10) status").isZero();
        int blockLength = ByteBuffer.wrap(capacity.data()).getInt(4);
        assertThat(blockLength).isPositive();
        int blocks = READ_BYTES / blockLength;

        TestInitiator.ReadResult read = i.read(new byte[] {0x28, 0, 0, 0, 0, 0, 0, (byte) (blocks >> 8),
                (byte) blocks, 0}, 13, cmdSn, READ_BYTES);
        assertThat(read.status()).as("READ(10) status").isZero();
        assertThat(read.data()).hasSize(READ_BYTES).containsOnly(0); // a new sparse LUN file reads as zeros
        assertThat(read.segmentLengths()).as("Data-In segment lengths within MaxRecvDataSegmentLength=" + maxRecv)
                .allSatisfy(n -> assertThat(n).isBetween(1, maxRecv));
        assertThat(read.segmentLengths()).hasSizeGreaterThanOrEqualTo(READ_BYTES / maxRecv);
    }
}
