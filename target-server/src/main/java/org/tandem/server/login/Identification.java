package org.tandem.server.login;

import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.InitiatorAccess;
import org.tandem.server.config.TargetSettings;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;

/**
 * Who logs in, to what, and may they (RFC 7143 sections 11.12 and 13.6, ietd.conf, targets.allow and
 * initiators.allow as IET reads them): the first Login Request's InitiatorName, SessionType and TargetName, the
 * allow rules, MaxSessions, and for a request with a TSIH the session it joins (MC/S, section 6.3). What it found
 * stays readable after a failure, for the log line that names the initiator and the target.
 */
final class Identification {
    private final TargetCatalog catalog;
    private String initiatorName;
    private boolean discovery;
    private IscsiTarget target;
    private Session joining;
    private List<ChapAccount> incoming = List.of();
    private ChapAccount outgoing;
    private TargetSettings settings;

    Identification(TargetCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Identifies the login from its first request's keys.
     *
     * @param local  the portal address the initiator reached (targets.allow)
     * @param remote the initiator's address (initiators.allow)
     * @throws LoginFailure MISSING_PARAMETER, INITIATOR_ERROR, SESSION_TYPE_NOT_SUPPORTED, NOT_FOUND,
     *                      AUTHORIZATION_FAILURE, OUT_OF_RESOURCES (MaxSessions), or a join's refusal
     */
    void identify(LoginRequest r, TextParameters keys, InetAddress local, InetAddress remote) throws LoginFailure {
        initiatorName = keys.get("InitiatorName");
        if (initiatorName == null || initiatorName.isEmpty()) {
            throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "no InitiatorName");
        }
        if (initiatorName.codePoints().anyMatch(c -> LogText.hidden(c) || Character.isWhitespace(c))) {
            // An iSCSI name has no spaces, controls or invisible formatting (RFC 7143 section 4.2.7.2, RFC 3722's
            // stringprep); the name goes into every log line of the session, where such characters forge or hide.
            String shown = LogText.printable(initiatorName);
            initiatorName = null;
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "InitiatorName '" + shown
                    + "' has spaces or control characters");
        }
        String type = keys.get("SessionType");
        if (type != null && !type.equals("Normal") && !type.equals("Discovery")) {
            throw new LoginFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=" + type);
        }
        discovery = "Discovery".equals(type);
        if (r.tsih() != 0) {
            joining = SessionJoin.join(catalog.sessions(), r, initiatorName, discovery);
        }
        if (discovery) {
            incoming = catalog.discoveryIncoming();
            outgoing = catalog.discoveryOutgoing();
            settings = TargetSettings.defaults();
        } else if (joining != null) {
            target = joining.target();
            incoming = target.config().incoming();
            outgoing = target.config().outgoing();
            settings = target.config().settings();
        } else {
            String name = keys.get("TargetName");
            if (name == null || name.isEmpty()) {
                throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session");
            }
            target = catalog.target(name); // found whatever the case; the allow files name it as ietd.conf does
            if (target == null) {
                throw new LoginFailure(LoginStatus.NOT_FOUND, "no target " + name + " in ietd.conf");
            }
            if (!catalog.targetsAllow().allows(target.name(), local, null)) {
                // the initiator is told the target does not exist, as IET told it; the log says why
                throw new LoginFailure(LoginStatus.NOT_FOUND, hiddenByTargetsAllow(target.name(), local));
            }
            InitiatorAccess.Verdict access = catalog.initiatorAccess().verdict(target.name(), remote, initiatorName);
            if (!access.allowed()) {
                throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE, access.refusal(initiatorName, remote, name));
            }
            SessionJoin.checkMaxSessions(catalog.sessions(), target, initiatorName, r.isid());
            incoming = target.config().incoming();
            outgoing = target.config().outgoing();
            settings = target.config().settings();
        }
    }

    /**
     * Why targets.allow hides a target that exists from this portal, with the line to change (short: the failure
     * line already names the target, and the whole reason is cut at 300 characters).
     */
    private String hiddenByTargetsAllow(String target, InetAddress portal) {
        OptionalInt line = catalog.targetsAllow().consultedLine(target);
        String address = portal.getHostAddress();
        String where = line.isPresent() ? "targets.allow line " + line.getAsInt() + " does not list portal " + address
                + ": add it to that line" : "targets.allow has no line for it or ALL, so no portal offers it: add"
                + " a line 'TARGET " + address + "'";
        return "not offered on this portal (the initiator is told it does not exist, as by IET): " + where;
    }

    /** The InitiatorName, or null before it was read or when it was refused. */
    String initiatorName() {
        return initiatorName;
    }

    boolean discovery() {
        return discovery;
    }

    /** The target of a normal session, or null (discovery, or not found yet). */
    IscsiTarget target() {
        return target;
    }

    /** The session this connection joins (a login with a TSIH), or null for a new session. */
    Session joining() {
        return joining;
    }

    /** The CHAP accounts an initiator may authenticate as (IncomingUser); empty: no authentication. */
    List<ChapAccount> incoming() {
        return incoming;
    }

    /** The account the target answers mutual CHAP as (OutgoingUser), or null. */
    ChapAccount outgoing() {
        return outgoing;
    }

    /** The settings whose keys the target offers: the target's, or the defaults for discovery. */
    TargetSettings settings() {
        return settings;
    }

    /** "INITIATOR from ADDRESS to TARGET" as log lines say it, the parts not known yet left out or generic. */
    String describe(Object remoteAddress) {
        return (initiatorName != null ? initiatorName : "initiator") + " from " + remoteAddress
                + (discovery ? " (discovery)" : target != null ? " to " + target.name() : "");
    }
}
