package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Warnings about access-file lines and items that IET read as written but that can never match what the writer
 * meant: IET applied them silently, Tandem reads them the same way and says so once, with file and line.
 */
final class NeverMatchingRules {
    /** AccessRules' logger: the log lines name the class that read the file, as they did before the split. */
    private static final Logger LOG = LogManager.getLogger(AccessRules.class);
    /** Words that look like a host name rather than an iSCSI name pattern: letters, digits, '-' and '.' only. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
    private static final Pattern ISCSI_NAME_START = Pattern.compile("(?i)(iqn|eui|naa)\\..*");
    /** Words of tgt's targets.conf that an access-file line may start with when copied from a tgt how-to. */
    private static final Set<String> TGT_WORDS = Set.of("initiator-address", "initiator-name", "incominguser",
            "outgoinguser", "<target", "</target>", "backing-store", "direct-store");

    private NeverMatchingRules() {
    }

    /**
     * Items IET read in a way that matches nothing, or nothing the writer meant: IET compared with "ALL" exactly,
     * split items at commas only, and never looked a name up (getaddrinfo with AI_NUMERICHOST); targets.allow is
     * matched against the portal's address alone, so a name there matches no portal.
     */
    static void warnItem(Path file, int n, String item, AccessItem parsed) {
        boolean portals = file.getFileName().toString().equals("targets.allow");
        if (item.equalsIgnoreCase("ALL") && !item.equals("ALL")) {
            LOG.warn("{}:{}: '{}' is not ALL: IET compares with ALL exactly, so this item is read as "
                    + (portals ? "a name, which matches no portal" : "a name pattern matching only an initiator"
                    + " named '" + item + "'") + "; write ALL", file, n, item);
        } else if (item.chars().anyMatch(Character::isWhitespace)) {
            LOG.warn("{}:{}: '{}' is one item that matches nothing: items are separated by commas, not spaces;"
                    + " write '{}'", file, n, item, String.join(", ", item.split("\\s+")));
        } else if (parsed instanceof AccessItem.NamePattern && portals) {
            LOG.warn("{}:{}: '{}' is not an address: targets.allow is matched against the portal's address only"
                    + " (as in IET), so it matches no portal; write the portal's address or range", file, n, item);
        } else if (parsed instanceof AccessItem.NamePattern && HOST_NAME.matcher(item).matches()
                && !ISCSI_NAME_START.matcher(item).matches()) {
            LOG.warn("{}:{}: '{}' looks like a host name, but IET never looked names up: it matches only an"
                    + " initiator whose iSCSI name is literally '{}'; write the host's address (e.g. 10.0.0.5) or"
                    + " range (10.0.0.0/24)", file, n, item, item);
        }
    }

    /**
     * Lines whose target ietd.conf does not define never apply (IET's match() skipped them too); the writer meant
     * something, so say what each is read as: a misspelt target, {@code all} for ALL, or tgt's syntax.
     */
    static void warnUndefinedTargets(Path file, List<AccessLine> lines, Collection<String> targets) {
        Set<String> defined = new HashSet<>();
        targets.forEach(t -> defined.add(IscsiName.key(t)));
        for (AccessLine l : lines) {
            if (l.target().equals("ALL") || defined.contains(IscsiName.key(l.target()))) {
                continue;
            }
            String shown = ConfigText.visible(l.target());
            if (l.target().equalsIgnoreCase("ALL")) {
                LOG.warn("{}:{}: '{}' is not ALL: IET compares with ALL exactly, so this line is read as one for a"
                        + " target called '{}', which ietd.conf does not define, and never applies; write ALL",
                        file, l.number(), shown, shown);
            } else if (TGT_WORDS.contains(l.target().toLowerCase(Locale.ROOT))) {
                LOG.warn("{}:{}: '{} {}' is tgt's targets.conf syntax, not IET's: it is read as a line for a target"
                        + " called '{}', which ietd.conf does not define, so it restricts nothing; write 'TARGET {}'"
                        + " with a target of ietd.conf (or ALL)", file, l.number(), shown, String.join(", ", l.texts()),
                        shown, String.join(", ", l.texts()));
            } else {
                LOG.warn("{}:{}: target '{}' is not defined in ietd.conf ({}), so this line never applies (IET"
                        + " skipped it too); correct the name or remove the line", file, l.number(), shown,
                        targets.isEmpty() ? "it defines no target" : targets.size() > 5 ? "it defines "
                        + targets.size() + " targets" : "it defines " + String.join(", ", targets));
            }
        }
    }
}
