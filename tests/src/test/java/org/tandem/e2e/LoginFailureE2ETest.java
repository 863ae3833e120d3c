package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/** Every way a login can go wrong gets its own Login Response status (RFC 7143 section 11.13.5), then a close. */
class LoginFailureE2ETest {
    private static final String NAME = "InitiatorName=iqn.2026-11.org.tandem.test:raw\0";
    private static final String TARGET = "TargetName=" + TargetFixture.TARGET + "\0";
    private static final long ISID = 0x400000000009L;

    @TempDir
    Path dir;

    private static void assertStatus(LoginResponse r, int statusClass, int detail) {
        assertThat(r).isNotNull();
        assertThat(r.statusClass()).as("status class").isEqualTo(statusClass);
        assertThat(r.statusDetail()).as("status detail").isEqualTo(detail);
    }

    private static LoginResponse oneStep(TargetFixture t, int versionMin, int tsih, String text) throws Exception {
        try (TestInitiator i = new TestInitiator(t.port())) {
            LoginResponse r = i.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, versionMin, ISID, tsih, text);
            assertThat(i.closedByTarget()).as("connection closed after a failed login").isTrue();
            return r;
        }
    }

    @Test
    void eachFailureHasItsStatus() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir)) {
            assertStatus(oneStep(t, 1, 0, NAME + TARGET + "AuthMethod=None\0"), 0x02, 0x05); // unsupported version
            assertStatus(oneStep(t, 0, 0, TARGET + "AuthMethod=None\0"), 0x02, 0x07);        // no InitiatorName
            assertStatus(oneStep(t, 0, 0, NAME + "AuthMethod=None\0"), 0x02, 0x07);          // no TargetName
            assertStatus(oneStep(t, 0, 0, NAME + TARGET + "SessionType=Bogus\0"), 0x02, 0x09);
            assertStatus(oneStep(t, 0, 4242, NAME + TARGET + "AuthMethod=None\0"), 0x02, 0x0a); // no such session
            assertStatus(oneStep(t, 0, 0, NAME + "TargetName=iqn.2026-11.org.x:none\0AuthMethod=None\0"), 0x02, 0x03);
            assertStatus(oneStep(t, 0, 0, NAME + TARGET + "AuthMethod=None\0" + "MaxBurstLength=512\0"
                    + "MaxBurstLength=1024\0"), 0x02, 0x00);                                     // key offered twice
        }
    }

    @Test
    void fieldsThatMustStayConstantAcrossLoginPdusAreChecked() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            LoginResponse first = i.loginStep(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, 0, ISID, 0,
                    NAME + TARGET + "AuthMethod=None\0");
            assertStatus(first, 0, 0);
            assertThat(first.nextStage()).isEqualTo(LoginStage.LOGIN_OPERATIONAL_NEGOTIATION);
            LoginResponse changed = i.loginStep(true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, 0,
                    ISID + 1, 0, "");
            assertStatus(changed, 0x02, 0x0b);
        }
    }

    @Test
    void chapTargetRefusesAuthMethodNone() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "IncomingUser vmhost vmhostsecret1")) {
            assertStatus(oneStep(t, 0, 0, NAME + TARGET + "AuthMethod=None\0"), 0x02, 0x01);
            // skipping the security stage altogether is refused the same way
            try (TestInitiator i = new TestInitiator(t.port())) {
                assertStatus(i.loginStep(true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0,
                        NAME + TARGET), 0x02, 0x01);
            }
        }
    }

    @Test
    void initiatorsAllowRefusesWithAuthorizationFailure() throws Exception {
        Files.writeString(dir.resolve("initiators.allow"), "ALL 10.0.0.0/8, iqn\\.2026-11\\.org\\.other:.*\n");
        try (TargetFixture t = TargetFixture.simple(dir)) {
            assertStatus(oneStep(t, 0, 0, NAME + TARGET + "AuthMethod=None\0"), 0x02, 0x02);
        }
    }
}
