package org.tandem.server.login;

import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.server.negotiation.IscsiKey;
import org.tandem.server.negotiation.NegotiationException;
import org.tandem.server.negotiation.Negotiator;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.TargetCatalog;

import java.util.List;
import java.util.Map;

/**
 * The keys a login negotiates besides security (RFC 7143 sections 6 and 13): the target's offer from its settings
 * (one key table, {@link IscsiKey}), the answers to the initiator's offers, the declarations sent once on the way to
 * full feature phase, and TargetPortalGroupTag/TargetAlias in the first answer of a normal session (section
 * 13.9: the target must send its portal group tag in its first Login Response).
 */
final class OperationalStage {
    private final Identification identity;
    private final Negotiator negotiator;
    private boolean sentPortalGroupTag;

    OperationalStage(Identification identity) {
        this.identity = identity;
        negotiator = new Negotiator(identity.settings().offer(),
                identity.settings().number(IscsiKey.MAX_XMIT_DATA_SEGMENT_LENGTH));
        negotiator.discovery(identity.discovery());
        if (identity.joining() != null) {
            negotiator.nonLeading(); // a join negotiates only connection keys: the session's stay (section 6.3)
        }
        negotiator.declare(IscsiKey.INITIATOR_NAME, identity.initiatorName());
        if (!identity.discovery()) {
            negotiator.declare(IscsiKey.TARGET_NAME, identity.target().name());
        }
    }

    /** TargetPortalGroupTag and TargetAlias, into the first answer of a normal session only. */
    void portalGroupTag(List<Map.Entry<String, String>> answer) {
        if (!sentPortalGroupTag && !identity.discovery()) {
            answer.add(Map.entry("TargetPortalGroupTag", Integer.toString(TargetCatalog.PORTAL_GROUP_TAG)));
            if (identity.target().config().alias() != null) {
                answer.add(Map.entry("TargetAlias", identity.target().config().alias()));
            }
            sentPortalGroupTag = true;
        }
    }

    /** @throws LoginFailure INITIATOR_ERROR for an offer the negotiation refuses (its message says which) */
    List<Map.Entry<String, String>> answer(List<Map.Entry<String, String>> offers) throws LoginFailure {
        try {
            return negotiator.answer(offers);
        } catch (NegotiationException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
    }

    /** The declarative keys the target states once, when the operational stage ends. */
    List<Map.Entry<String, String>> declarations() {
        return negotiator.declarations();
    }

    /** The new session's parameters. */
    SessionParameters sessionParameters() {
        return negotiator.parameters();
    }

    /** A joining connection's parameters: the session's, with this connection's own. */
    SessionParameters connectionParameters(SessionParameters session) {
        return negotiator.connectionParameters(session);
    }
}
