package org.tandem.server.login;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LoginStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * RFC 7143 section 11.12: ISID, TSIH, CID, ITT and the versions stay the same through a login; C and T are never set
 * together (section 11.12.2); the target speaks version 0; section 6.2: the stages only go forward, and security
 * may be skipped only when the target requires no authentication.
 */
class LoginRequestRulesTest {

    private static LoginRequest request(int versionMin, long isid, int tsih, int itt, int cid, boolean c,
                                        boolean t) {
        return new LoginRequest(t, c, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, 0, versionMin, isid, tsih,
                itt, cid, 1, 0, Unpooled.EMPTY_BUFFER);
    }

    private static LoginRequest plain() {
        return request(0, 0x23d000000001L, 0, 7, 1, false, false);
    }

    private static void assertRefused(LoginStatus status, String message, ThrowingCheck check) {
        assertThatThrownBy(check::run).isInstanceOf(LoginFailure.class).hasMessageContaining(message)
                .extracting(e -> ((LoginFailure) e).status()).isEqualTo(status);
    }

    private interface ThrowingCheck {
        void run() throws LoginFailure;
    }

    @Test
    void aFirstRequestAboveVersionZeroIsUnsupported() {
        assertRefused(LoginStatus.UNSUPPORTED_VERSION, "version-min 1",
                () -> LoginRequestRules.check(request(1, 1, 0, 7, 1, false, false), null));
    }

    @Test
    void everyConstantFieldMustStayAsInTheFirstRequest() throws LoginFailure {
        LoginRequest first = plain();
        LoginRequestRules.check(plain(), first);
        for (LoginRequest changed : new LoginRequest[]{request(0, 2, 0, 7, 1, false, false),
                request(0, 0x23d000000001L, 5, 7, 1, false, false), request(0, 0x23d000000001L, 0, 8, 1, false, false),
                request(0, 0x23d000000001L, 0, 7, 2, false, false)}) {
            assertRefused(LoginStatus.INVALID_DURING_LOGIN, "changed between Login Requests",
                    () -> LoginRequestRules.check(changed, first));
        }
    }

    @Test
    void continueAndTransitTogetherAreAnInitiatorError() {
        assertRefused(LoginStatus.INITIATOR_ERROR, "both C and T set (RFC 7143 section 11.12.2)",
                () -> LoginRequestRules.check(request(0, 1, 0, 7, 1, true, true), null));
    }

    @Test
    void securityMayBeSkippedOnlyWithoutAuthentication() throws LoginFailure {
        assertThat(LoginRequestRules.currentStage(SECURITY_NEGOTIATION, SECURITY_NEGOTIATION, true))
                .isEqualTo(SECURITY_NEGOTIATION);
        assertThat(LoginRequestRules.currentStage(SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, false))
                .isEqualTo(LOGIN_OPERATIONAL_NEGOTIATION);
        assertRefused(LoginStatus.AUTHENTICATION_FAILURE, "security stage skipped; target requires CHAP",
                () -> LoginRequestRules.currentStage(SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, true));
    }

    @Test
    void stagesNeverGoBack() throws LoginFailure {
        assertRefused(LoginStatus.INVALID_DURING_LOGIN, "CSG SECURITY_NEGOTIATION while in",
                () -> LoginRequestRules.currentStage(LOGIN_OPERATIONAL_NEGOTIATION, SECURITY_NEGOTIATION, false));
        LoginRequestRules.checkTransit(FULL_FEATURE_PHASE, LOGIN_OPERATIONAL_NEGOTIATION);
        assertRefused(LoginStatus.INVALID_DURING_LOGIN, "transit to NSG",
                () -> LoginRequestRules.checkTransit(SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION));
        assertRefused(LoginStatus.INVALID_DURING_LOGIN, "transit to NSG RESERVED",
                () -> LoginRequestRules.checkTransit(LoginStage.RESERVED, SECURITY_NEGOTIATION));
    }
}
