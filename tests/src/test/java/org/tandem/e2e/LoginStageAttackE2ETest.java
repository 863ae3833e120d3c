package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/** Operational keys offered in the security stage, and keys declared twice in one login. */
class LoginStageAttackE2ETest {
    private static final String KEYS = "InitiatorName=iqn.2026-11.org.tandem.test:stage\0TargetName="
            + TargetFixture.TARGET + "\0SessionType=Normal\0AuthMethod=None\0";

    @TempDir
    Path dir;

    /** Probe: what the target answers to operational keys offered with the security keys; printed. */
    @Test
    void operationalKeysOfferedInTheSecurityStageAreAnsweredOrTheLoginRefused() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            TestInitiator.LoginAnswer a = i.loginKeys(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                    0x400000000051L, KEYS + "HeaderDigest=None\0MaxBurstLength=0x4000\0");
            System.out.println("security-stage answer to operational offers: status "
                    + a.response().statusClass() + " keys " + a.keys());
            if (a.response().statusClass() != 0) {
                return; // refusing is allowed
            }
            TestInitiator.LoginAnswer b = i.loginKeys(true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE,
                    0x400000000051L, "");
            System.out.println("operational-stage answer: status " + b.response().statusClass() + " keys "
                    + b.keys());
            boolean answered = a.keys().containsKey("HeaderDigest") || b.keys().containsKey("HeaderDigest");
            assertThat(answered).as("an offered negotiation key (HeaderDigest) gets an answer somewhere")
                    .isTrue();
        }
    }

    /**
     * RFC 7143 section 6.2: a key negotiated twice in a login without a reset MUST end the login with an
     * initiator error (Login reject).
     */
    @Test
    void aKeyOfferedTwiceWithDifferentEncodingsEndsTheLogin() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            TestInitiator.LoginAnswer a = i.loginKeys(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                    0x400000000052L, KEYS);
            assertThat(a.response().statusClass()).isZero();
            TestInitiator.LoginAnswer b = i.loginKeys(true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE,
                    0x400000000052L, "MaxBurstLength=4096\0MaxBurstLength=0x2000\0");
            assertThat(b).isNotNull();
            System.out.println("twice: status " + b.response().statusClass() + " keys " + b.keys());
            assertThat(b.response().statusClass()).as("status class for MaxBurstLength declared twice")
                    .isEqualTo(2);
        }
    }
}
