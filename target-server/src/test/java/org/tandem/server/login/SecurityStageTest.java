package org.tandem.server.login;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.config.ChapAccount;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 7143 section 12: the security stage agrees on one AuthMethod, then runs CHAP (RFC 1994, section 12.1.3): the
 * initiator picks the algorithm (CHAP_A), the target sends identifier and challenge, the initiator answers with its
 * name and the MD5 of identifier, secret and challenge. A target with accounts takes only CHAP, one without only
 * None.
 */
class SecurityStageTest {
    private static final ChapAccount JOE = new ChapAccount("joe", "secretsecret12");

    private static TextParameters keys(String text) throws Exception {
        return TextParameters.parse(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static Map<String, String> answer(SecurityStage stage, String text) throws Exception {
        List<Map.Entry<String, String>> answer = new ArrayList<>();
        stage.answer(keys(text), answer);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        answer.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static void assertRefused(LoginStatus status, String message, ThrowingStep step) {
        assertThatThrownBy(step::run).isInstanceOf(LoginFailure.class).hasMessageContaining(message)
                .extracting(e -> ((LoginFailure) e).status()).isEqualTo(status);
    }

    private interface ThrowingStep {
        void run() throws Exception;
    }

    @Test
    void withoutAccountsOnlyNoneIsTakenAndTheStageIsDoneAtOnce() throws Exception {
        SecurityStage stage = new SecurityStage(List.of(), null);
        assertThat(stage.required()).isFalse();
        assertThat(answer(stage, "AuthMethod=CHAP,None\0")).containsExactly(Map.entry("AuthMethod", "None"));
        assertThat(stage.done()).isTrue();
        stage.requireAuthenticated();
        assertThat(stage.describeUser()).isEmpty();
    }

    @Test
    void withAccountsNoneIsRefusedAndAuthMethodOnlyOnce() throws Exception {
        assertRefused(LoginStatus.AUTHENTICATION_FAILURE, "AuthMethod=None but target requires CHAP",
                () -> answer(new SecurityStage(List.of(JOE), null), "AuthMethod=None\0"));
        SecurityStage stage = new SecurityStage(List.of(JOE), null);
        answer(stage, "AuthMethod=None,CHAP\0");
        assertRefused(LoginStatus.INITIATOR_ERROR, "AuthMethod offered twice",
                () -> answer(stage, "AuthMethod=CHAP\0"));
    }

    @Test
    void chapKeysNeedAuthMethodChapFirst() {
        assertRefused(LoginStatus.INITIATOR_ERROR, "CHAP keys without AuthMethod=CHAP",
                () -> answer(new SecurityStage(List.of(JOE), null), "CHAP_A=5\0"));
    }

    @Test
    void aRequiredStageWithoutAuthMethodCannotEndNorReachFullFeaturePhase() {
        SecurityStage stage = new SecurityStage(List.of(JOE), null);
        assertRefused(LoginStatus.AUTHENTICATION_FAILURE, "target requires CHAP; none offered", stage::done);
        assertRefused(LoginStatus.AUTHENTICATION_FAILURE, "full feature phase requested before CHAP",
                stage::requireAuthenticated);
    }

    @Test
    void aRightChapResponseAuthenticates() throws Exception {
        SecurityStage stage = new SecurityStage(List.of(JOE), null);
        assertThat(answer(stage, "AuthMethod=CHAP\0")).containsEntry("AuthMethod", "CHAP");
        Map<String, String> challenge = answer(stage, "CHAP_A=5\0");
        assertThat(challenge).containsEntry("CHAP_A", "5").containsKeys("CHAP_I", "CHAP_C");
        assertThat(stage.done()).as("not before the response").isFalse();

        answer(stage, "CHAP_N=joe\0CHAP_R=" + response(challenge, "secretsecret12") + "\0");
        assertThat(stage.done()).isTrue();
        stage.requireAuthenticated();
        assertThat(stage.describeUser()).startsWith(" CHAP user joe (");
        assertRefused(LoginStatus.INITIATOR_ERROR, "CHAP keys after authentication finished",
                () -> answer(stage, "CHAP_A=5\0"));
    }

    @Test
    void aWrongChapResponseFailsTheLogin() throws Exception {
        SecurityStage stage = new SecurityStage(List.of(JOE), null);
        answer(stage, "AuthMethod=CHAP\0");
        Map<String, String> challenge = answer(stage, "CHAP_A=5\0");
        assertRefused(LoginStatus.AUTHENTICATION_FAILURE, "",
                () -> answer(stage, "CHAP_N=joe\0CHAP_R=" + response(challenge, "wrongsecret123") + "\0"));
    }

    /** CHAP_R for a challenge: MD5 over identifier, secret and challenge (RFC 1994 section 4.1). */
    private static String response(Map<String, String> challenge, String secret) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update((byte) Integer.parseInt(challenge.get("CHAP_I")));
        md5.update(secret.getBytes(StandardCharsets.UTF_8));
        md5.update(HexFormat.of().parseHex(challenge.get("CHAP_C").substring(2)));
        return "0x" + HexFormat.of().formatHex(md5.digest());
    }
}
