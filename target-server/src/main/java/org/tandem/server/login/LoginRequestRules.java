package org.tandem.server.login;

import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LoginStatus;

/**
 * What every Login Request of one login must respect, whatever it negotiates (RFC 7143 sections 6.2, 11.12 and
 * 11.12.2): the version the target speaks, fields that stay constant through the login, never both C and T, and
 * stages that only go forward.
 */
final class LoginRequestRules {
    /** The iSCSI version this target speaks (RFC 7143 section 11.12: version-max and version-min 0x00). */
    static final int VERSION = 0x00;

    private LoginRequestRules() {
    }

    /**
     * Checks a request against the first one of the login (null when {@code r} is the first).
     *
     * @throws LoginFailure UNSUPPORTED_VERSION for a first request above version 0; INVALID_DURING_LOGIN when
     *                      ISID, TSIH, CID, ITT or the versions changed; INITIATOR_ERROR for C and T together
     */
    static void check(LoginRequest r, LoginRequest first) throws LoginFailure {
        if (first == null) {
            if (r.versionMin() > VERSION) {
                throw new LoginFailure(LoginStatus.UNSUPPORTED_VERSION, "version-min " + r.versionMin());
            }
        } else if (r.isid() != first.isid() || r.tsih() != first.tsih() || r.cid() != first.cid()
                || r.versionMax() != first.versionMax() || r.versionMin() != first.versionMin()
                || r.initiatorTaskTag() != first.initiatorTaskTag()) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN,
                    "ISID, TSIH, CID, ITT or version changed between Login Requests");
        }
        if (r.continueFlag() && r.transit()) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "Login Request with both C and T set"
                    + " (RFC 7143 section 11.12.2)");
        }
    }

    /**
     * The stage a request's CSG puts the login in, from {@code stage}: the same one, or the operational stage
     * straight away when the target requires no authentication (section 6.2: security may be skipped).
     *
     * @throws LoginFailure AUTHENTICATION_FAILURE when the security stage is skipped although CHAP is required;
     *                      INVALID_DURING_LOGIN for any other change of stage
     */
    static LoginStage currentStage(LoginStage stage, LoginStage csg, boolean authenticationRequired)
            throws LoginFailure {
        if (csg == stage) {
            return stage;
        }
        if (stage == LoginStage.SECURITY_NEGOTIATION && csg == LoginStage.LOGIN_OPERATIONAL_NEGOTIATION
                && !authenticationRequired) {
            return LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
        }
        if (authenticationRequired && stage == LoginStage.SECURITY_NEGOTIATION) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "security stage skipped; target requires"
                    + " CHAP");
        }
        throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "CSG " + csg + " while in " + stage);
    }

    /** @throws LoginFailure INVALID_DURING_LOGIN when a transit goes to a reserved stage or back (section 6.2) */
    static void checkTransit(LoginStage next, LoginStage stage) throws LoginFailure {
        if (next == LoginStage.RESERVED || next.code() <= stage.code()) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "transit to NSG " + next + " from " + stage);
        }
    }
}
