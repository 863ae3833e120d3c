package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.LoginResponse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/** The InitiatorName check added today (no spaces or control characters), at its edges. */
class LoginNameAttackE2ETest {
    @TempDir
    Path dir;

    private static LoginResponse loginAs(TestInitiator i, String name) throws Exception {
        return i.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, 0x400000000031L, 0,
                "InitiatorName=" + name + "\0TargetName=" + TargetFixture.TARGET
                        + "\0SessionType=Normal\0AuthMethod=None\0");
    }

    /**
     * RFC 7143 section 4.2.7.1: an iSCSI name may be up to 223 bytes. Tandem's check compares the name with its
     * log rendering, which is cut at 200 characters and gets "...": every valid name of 201-223 characters is
     * refused as having "spaces or control characters".
     */
    @Test
    void aValidInitiatorNameOf223BytesLogsIn() throws Exception {
        String prefix = "iqn.2026-11.org.tandem.test:";
        String name = prefix + "a".repeat(223 - prefix.length());
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(223);
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            LoginResponse r = loginAs(i, name);
            assertThat(r).isNotNull();
            assertThat(r.statusClass()).as("status %d/%d for a valid 223-byte InitiatorName", r.statusClass(),
                    r.statusDetail()).isZero();
        }
    }

    @Test
    void aValidInitiatorNameOf201BytesLogsIn() throws Exception {
        String prefix = "iqn.2026-11.org.tandem.test:";
        String name = prefix + "b".repeat(201 - prefix.length());
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            LoginResponse r = loginAs(i, name);
            assertThat(r.statusClass()).as("status %d/%d for a valid 201-byte InitiatorName", r.statusClass(),
                    r.statusDetail()).isZero();
        }
    }

    /**
     * Names that forge or disguise log lines without an ISO control character: U+2028 LINE SEPARATOR (refused:
     * whitespace), U+202E RIGHT-TO-LEFT OVERRIDE and U+200B ZERO WIDTH SPACE (RFC 3722 stringprep prohibits both,
     * table C.8 / mapped out). The check lets the latter through into every log line of the session.
     */
    @Test
    void invisibleAndBidiCharactersAreRefusedToo() throws Exception {
        String[] names = {"iqn.2026-11.org.tandem.test:x\u2028forged", "iqn.2026-11.org.tandem.test:\u202Egnp.evil",
            "iqn.2026-11.org.tandem.test:ad\u200Bmin"};
        try (TargetFixture t = TargetFixture.simple(dir)) {
            StringBuilder accepted = new StringBuilder();
            for (String name : names) {
                try (TestInitiator i = new TestInitiator(t.port())) {
                    LoginResponse r = loginAs(i, name);
                    if (r != null && r.statusClass() == 0) {
                        accepted.append(name.codePoints().filter(c -> c > 0x7e)
                                .mapToObj(c -> String.format("U+%04X ", c)).reduce("", String::concat));
                    }
                }
            }
            assertThat(accepted.toString()).as("InitiatorNames accepted with these characters").isEmpty();
        }
    }
}
