package org.tandem.server.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who may log in to (and see in SendTargets) a target: initiators.allow, and initiators.deny where a site still
 * has one. The rule is IET's plain_initiator_allow() (usr/plain.c, 1.4.18 to trunk). Without initiators.deny,
 * initiators.allow alone decides (no file: everyone). With initiators.deny, its pre-0.4.18 meaning holds: an
 * initiator is refused only when initiators.deny matches it and initiators.allow does not; every other initiator
 * gets in, so a deny file with no rule for a target opens that target whatever initiators.allow says.
 */
public final class InitiatorAccess {
    private final AccessRules allow;
    private final AccessRules deny;

    /** What the files decide for one login; the refusals name the file that refused. */
    public enum Verdict {
        ALLOWED(""),
        NOT_ALLOWED("initiators.allow does not allow %s from %s to %s"),
        DENIED("initiators.deny refuses %s from %s to %s, and initiators.allow does not allow it");

        private final String refusal;

        Verdict(String refusal) {
            this.refusal = refusal;
        }

        public boolean allowed() {
            return this == ALLOWED;
        }

        /** The refusal's one-line reason (empty when allowed). */
        public String refusal(String initiator, InetAddress from, String target) {
            return allowed() ? "" : String.format(refusal, initiator, from.getHostAddress(), target);
        }
    }

    public InitiatorAccess(AccessRules allow, AccessRules deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /** Whether an initiators.deny file is in force. */
    public boolean denyInForce() {
        return deny.present();
    }

    /** The verdict for an initiator (by address, and by name where known; null where not) on a target. */
    public Verdict verdict(String target, InetAddress address, String name) {
        if (!deny.present()) {
            return allow.allows(target, address, name) ? Verdict.ALLOWED : Verdict.NOT_ALLOWED;
        }
        // IET counts a missing initiators.allow as "does not match" here, so it cannot save a denied initiator.
        if (deny.matches(target, address, name) && !allow.matches(target, address, name)) {
            return Verdict.DENIED;
        }
        return Verdict.ALLOWED;
    }

    public boolean allows(String target, InetAddress address, String name) {
        return verdict(target, address, name).allowed();
    }

    /** The initiators.deny items consulted for this target (its own lines and the ALL line), as written. */
    public List<String> denyRulesFor(String target) {
        return deny.consultedFor(target);
    }

    /** What initiators.deny does to this target, in one sentence; empty when there is no such file. */
    public Optional<String> denyEffectFor(String target) {
        if (!deny.present()) {
            return Optional.empty();
        }
        if (deny.matchesEveryone(target)) {
            return Optional.of("initiators.deny refuses every initiator that initiators.allow does not allow");
        }
        List<String> rules = deny.consultedFor(target);
        if (rules.isEmpty()) {
            return Optional.of("initiators.deny has no rule for this target, so every initiator gets in, whatever"
                    + " initiators.allow says");
        }
        return Optional.of("initiators.deny refuses " + String.join(", ", rules) + " unless initiators.allow allows"
                + " them; every other initiator gets in, whatever initiators.allow says");
    }

    /**
     * The deprecation warning for the log: what initiators.deny does here and what to write in initiators.allow
     * to drop it; empty when there is no such file.
     */
    public Optional<String> deprecation() {
        if (!deny.present()) {
            return Optional.empty();
        }
        String what = "initiators.deny is deprecated (IET deprecated it in 1.4.18) and still in force: Tandem refuses"
                + " an initiator it matches unless initiators.allow allows it, and lets in every initiator it does"
                + " not match, whatever initiators.allow says; ";
        String drop;
        if (deny.matchesEveryone()) {
            drop = allow.present()
                    ? "its 'ALL ALL' refuses whoever initiators.allow does not allow, which initiators.allow alone"
                    + " already does: delete initiators.deny and nothing changes"
                    : "its 'ALL ALL' refuses everyone, as there is no initiators.allow: to drop it, write an"
                    + " initiators.allow with one line per target listing who may log in (or no line, to keep"
                    + " everyone out) and delete initiators.deny";
        } else if (deny.empty()) {
            drop = "it has no rule, so it lets every initiator in" + (allow.present()
                    ? " and initiators.allow refuses no one: to drop it, delete it and either keep initiators.allow"
                    + " as it is (its rules then take effect) or add 'ALL ALL' as its last line to keep everyone in"
                    : ": delete it and nothing changes");
        } else {
            drop = "initiators.allow cannot say 'everyone but': to drop it, write in initiators.allow one line per"
                    + " target listing every initiator (address, range or name pattern) that may log in, including"
                    + " those initiators.deny lets in today, then delete initiators.deny";
        }
        return Optional.of(what + drop);
    }
}
