package org.tandem.server.login;

import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.auth.ChapAuthenticator;
import org.tandem.server.auth.ChapStep;
import org.tandem.server.config.ChapAccount;

import java.util.List;
import java.util.Map;

/**
 * The security negotiation stage (RFC 7143 section 12 with RFC 1994's CHAP, section 12.1.3): AuthMethod once, then
 * the CHAP exchange. A target with IncomingUser accounts requires CHAP and accepts only it; one without accepts
 * only None.
 */
final class SecurityStage {
    private final boolean required;
    private final ChapAuthenticator chap;
    private String authMethod;
    private boolean authenticated;

    /**
     * @param incoming the accounts an initiator may authenticate as; empty: no authentication
     * @param outgoing the account for mutual CHAP, or null
     */
    SecurityStage(List<ChapAccount> incoming, ChapAccount outgoing) {
        this.required = !incoming.isEmpty();
        this.chap = required ? new ChapAuthenticator(incoming, outgoing) : null;
    }

    /** Whether the target requires CHAP before full feature phase. */
    boolean required() {
        return required;
    }

    /**
     * Answers the security keys of one request into {@code answer}.
     *
     * @throws LoginFailure AUTHENTICATION_FAILURE for an AuthMethod the target does not take or a failed CHAP
     *                      response; INITIATOR_ERROR for AuthMethod twice or CHAP keys out of place
     */
    void answer(TextParameters keys, List<Map.Entry<String, String>> answer) throws LoginFailure {
        String offered = keys.get("AuthMethod");
        if (offered != null) {
            if (authMethod != null) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "AuthMethod offered twice");
            }
            String wanted = required ? "CHAP" : "None";
            for (String m : offered.split(",")) {
                if (m.equals(wanted)) {
                    authMethod = wanted;
                }
            }
            if (authMethod == null) {
                answer.add(Map.entry("AuthMethod", "Reject"));
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "AuthMethod=" + offered + " but target "
                        + (required ? "requires CHAP" : "has no CHAP accounts"));
            }
            answer.add(Map.entry("AuthMethod", authMethod));
        }
        boolean chapKeys = keys.pairs().stream().anyMatch(e -> e.getKey().startsWith("CHAP_"));
        if (chapKeys) {
            if (!"CHAP".equals(authMethod)) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP keys without AuthMethod=CHAP");
            }
            if (authenticated) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP keys after authentication finished");
            }
            ChapStep step = chap.step(keys);
            if (step.outcome() == ChapStep.Outcome.FAILED) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, step.failure());
            }
            answer.addAll(step.answer());
            if (step.outcome() == ChapStep.Outcome.SUCCEEDED) {
                authenticated = true;
            }
        }
    }

    /**
     * Whether the stage may end: always without authentication, else once CHAP succeeded.
     *
     * @throws LoginFailure AUTHENTICATION_FAILURE when CHAP is required and the initiator offered no AuthMethod
     */
    boolean done() throws LoginFailure {
        if (!required) {
            return true;
        }
        if (authMethod == null) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "target requires CHAP; none offered");
        }
        return authenticated;
    }

    /** @throws LoginFailure AUTHENTICATION_FAILURE when full feature phase is asked for before CHAP succeeded */
    void requireAuthenticated() throws LoginFailure {
        if (required && !authenticated) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "full feature phase requested before CHAP");
        }
    }

    /** " CHAP user U (ALGORITHM[, mutual as M])" for the login line, or "" without CHAP. */
    String describeUser() {
        return chap == null ? "" : " CHAP user " + chap.authenticatedUser() + " (" + chap.algorithm()
                + (chap.mutualAs() != null ? ", mutual as " + chap.mutualAs() : "") + ")";
    }

    /**
     * The hint for a login the initiator abandoned right after Tandem's mutual CHAP answer (open-iscsi closes
     * without a word when it refuses it), or "" when that is not what happened.
     */
    String abandonedHint(String lastAnswer) {
        boolean afterMutualAnswer = chap != null && chap.mutualAs() != null && lastAnswer.contains("CHAP_R=");
        return afterMutualAnswer ? " (the initiator may have refused Tandem's mutual CHAP answer as OutgoingUser "
                + chap.mutualAs() + ": check its target user and secret)" : "";
    }
}
