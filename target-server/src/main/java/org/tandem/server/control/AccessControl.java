package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.config.AccessRules;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.util.List;

/**
 * Who may log in to a running target: its CHAP accounts (IncomingUser, OutgoingUser) and its initiators.allow
 * rules, as {@link TargetControl#access} documents. Not synchronized itself: TargetControl calls it under its one
 * lock.
 */
final class AccessControl {
    /** TargetControl's logger: these lines read as they did before the control was split. */
    private static final Logger LOG = LogManager.getLogger(TargetControl.class);

    private final TargetCatalog catalog;
    private final ConfigFile file;
    private final CatalogLookup lookup;
    private final Stanzas stanzas;

    AccessControl(TargetCatalog catalog, ConfigFile file, CatalogLookup lookup, Stanzas stanzas) {
        this.catalog = catalog;
        this.file = file;
        this.lookup = lookup;
        this.stanzas = stanzas;
    }

    void access(String target, List<ChapAccount> incoming, ChapAccount outgoing, List<String> initiators)
            throws ControlException {
        IscsiTarget t = lookup.target(target);
        StringBuilder text = new StringBuilder("Target ").append(target).append('\n');
        for (ChapAccount a : incoming) {
            text.append("IncomingUser ").append(Stanzas.oneLine(a.name(), "user")).append(' ')
                    .append(Stanzas.oneLine(a.secret(), "secret")).append('\n');
        }
        if (outgoing != null) {
            text.append("OutgoingUser ").append(Stanzas.oneLine(outgoing.name(), "user")).append(' ')
                    .append(Stanzas.oneLine(outgoing.secret(), "secret")).append('\n');
        }
        TargetConfig parsed = stanzas.parse(text.toString());
        if (parsed.outgoing() != null && parsed.incoming().isEmpty()) {
            throw ControlException.invalid("an OutgoingUser (mutual CHAP) needs at least one IncomingUser");
        }
        if (initiators != null) {
            TandemConfig c = catalog.config();
            // With initiators.deny in force, a target with no initiators.allow line is treated as one whose line
            // does not match, so the other targets need no 'ALL' line to stay as they were (and one would open
            // them to everyone initiators.deny refuses).
            boolean deny = c.initiatorAccess().denyInForce();
            try {
                AccessRules rules = c.initiatorsAllow().withRules(file.initiatorsAllow(), target, initiators,
                        deny ? List.of() : c.targets().stream().map(TargetConfig::name).toList());
                catalog.global(c.withInitiatorsAllow(rules));
            } catch (ConfigException e) {
                throw ControlException.invalid(Stanzas.withoutLocation(e));
            }
            if (deny && !c.initiatorsDeny().matchesEveryone(target)) {
                LOG.warn("admin: target {}: initiators.allow now lists {}, but initiators.deny is in force: {}",
                        target, initiators, c.initiatorAccess().denyEffectFor(target).orElseThrow());
            }
        }
        t.access(parsed.incoming(), parsed.outgoing());
        LOG.info("admin: target {} access changed: {} incoming user(s), outgoing user {}{}", target,
                parsed.incoming().size(), parsed.outgoing() == null ? "none" : parsed.outgoing().name(),
                initiators == null ? "" : ", initiators " + initiators);
    }
}
