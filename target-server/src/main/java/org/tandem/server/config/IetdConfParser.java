package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.negotiation.Directive;
import org.tandem.server.negotiation.IscsiKey;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads ietd.conf as IET does (see shared/reference/ietd-conf.md): '#' comments at the start of a line and after
 * a directive's values, a trailing backslash joining lines, case-insensitive directive names, case-sensitive
 * Yes/No, decimal or 0x numbers. Relative LUN paths are resolved against the file's directory. Directives IET knew
 * but Tandem has no use for, or IET ignored, are accepted with one warning each; anything else (tgt's targets.conf
 * syntax included) fails with file, line and what to write instead.
 */
public final class IetdConfParser {
    private static final Logger LOG = LogManager.getLogger(IetdConfParser.class);
    private static final Set<String> IGNORED = Set.of("isnsserver", "isnsaccesscontrol", "ofmarker", "ifmarker",
            "ofmarkint", "ifmarkint", "rsppdutimeout", "redirect", "type"); // Type: IET's numeric target type, unused

    private final Path file;
    private final boolean onDisk;
    private final List<ChapAccount> discoveryIncoming = new ArrayList<>();
    private ChapAccount discoveryOutgoing;
    private final List<TargetConfig> targets = new ArrayList<>();
    private Stanza stanza;

    /** The target being read. */
    private static final class Stanza {
        final String name;
        final int line;
        String alias;
        final List<LunConfig> luns = new ArrayList<>();
        final List<ChapAccount> incoming = new ArrayList<>();
        ChapAccount outgoing;
        final TargetSettings.Builder settings = new TargetSettings.Builder();
        final Set<Integer> lunNumbers = new HashSet<>();

        Stanza(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    private IetdConfParser(Path file, boolean onDisk) {
        this.file = file;
        this.onDisk = onDisk;
    }

    /**
     * Reads ietd.conf and the initiators.allow, targets.allow and initiators.deny beside it; access-file lines for
     * targets ietd.conf does not define are warned about here, where both are known. Each LUN remembers its line.
     */
    public static TandemConfig read(Path file) throws ConfigException {
        List<String> lines = ConfigText.read(file);
        IetdConfParser p = new IetdConfParser(file, true);
        p.parse(lines);
        Path dir = file.toAbsolutePath().getParent();
        List<String> names = p.targets.stream().map(TargetConfig::name).toList();
        return new TandemConfig(file, List.copyOf(p.discoveryIncoming), p.discoveryOutgoing, List.copyOf(p.targets),
                AccessRules.read(dir.resolve("initiators.allow"), names),
                AccessRules.read(dir.resolve("targets.allow"), names),
                AccessRules.read(dir.resolve("initiators.deny"), names));
    }

    /**
     * Parses text as if read from {@code file} (which names errors and anchors relative paths). The text is not the
     * file on disk (a stanza made up by the admin endpoint), so LUNs keep no line.
     */
    public static TandemConfig parse(Path file, String text) throws ConfigException {
        IetdConfParser p = new IetdConfParser(file, false);
        p.parse(text.lines().toList());
        return new TandemConfig(file, List.copyOf(p.discoveryIncoming), p.discoveryOutgoing, List.copyOf(p.targets),
                AccessRules.allowAll(), AccessRules.allowAll());
    }

    private void parse(List<String> lines) throws ConfigException {
        StringBuilder joined = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (joined.isEmpty()) {
                start = i + 1;
                if (raw.strip().startsWith("#")) {
                    continue;
                }
            }
            if (raw.endsWith("\\")) {
                joined.append(raw, 0, raw.length() - 1); // joined as written: a Lun option list may be split
                continue;
            }
            joined.append(raw);
            String line = joined.toString().strip();
            joined.setLength(0);
            if (!line.isEmpty()) {
                directive(start, line);
            }
        }
        if (!joined.isEmpty()) {
            throw new ConfigException(file, start, "line continued with '\\' at the end of the file: remove the"
                    + " backslash or add the line it continues to");
        }
        finishStanza();
    }

    private void directive(int n, String line) throws ConfigException {
        String[] words = line.split("\\s+", 2);
        String name = words[0].toLowerCase(Locale.ROOT);
        String raw = words.length > 1 ? words[1].strip() : "";
        String rest = TrailingComment.strip(raw);
        switch (name) {
            case "target" -> target(n, rest);
            case "incominguser", "outgoinguser" -> account(n, raw, name.equals("incominguser"));
            case "lun" -> {
                if (stanza == null) {
                    throw new ConfigException(file, n, "Lun belongs inside a Target stanza: put it below a"
                            + " 'Target NAME' line");
                }
                LunConfig lun = LunLine.parse(file, n, rest);
                if (onDisk) {
                    lun = lun.at(new ConfigLine(file, n));
                }
                if (!stanza.lunNumbers.add(lun.number())) {
                    throw new ConfigException(file, n, "LUN " + lun.number() + " is defined twice in target "
                            + stanza.name + ": give this one another number");
                }
                stanza.luns.add(lun);
            }
            case "alias" -> {
                if (rest.isEmpty()) {
                    throw new ConfigException(file, n, "expected 'Alias TEXT', got an empty Alias: write a name or"
                            + " remove the line");
                }
                if (stanza == null) {
                    outsideStanza(n, words[0]);
                } else {
                    stanza.alias = rest;
                }
            }
            default -> other(n, words[0], name, rest);
        }
    }

    private void target(int n, String rest) throws ConfigException {
        finishStanza();
        String[] words = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (words.length != 1) {
            throw new ConfigException(file, n, "expected 'Target iqn.YYYY-MM.reversed.domain[:id]', got 'Target "
                    + rest + "'" + (words.length == 0 ? "" : ": a target name has no spaces"));
        }
        String name = words[0];
        String impossible = IscsiName.impossible(name);
        if (impossible != null) {
            throw new ConfigException(file, n, "'" + name + "' cannot be an iSCSI target name: " + impossible
                    + "; write e.g. 'Target iqn.2026-11.org.example:disk1'");
        }
        if (!IscsiName.strict(name)) {
            LOG.warn("{}:{}: target name '{}' is not of the form iqn.YYYY-MM.reversed.domain[:id], eui.<16 hex> or"
                    + " naa.<16 or 32 hex> with only letters, digits, '-', '.' and ':'; IET and Tandem accept it,"
                    + " but initiators may refuse it (RFC 7143 section 4.2.7)", file, n, name);
        }
        for (TargetConfig t : targets) {
            if (IscsiName.key(t.name()).equals(IscsiName.key(name))) {
                throw new ConfigException(file, n, "target " + name + " is defined twice (iSCSI names ignore"
                        + " case; the first is " + t.name() + "): rename one or merge the stanzas");
            }
        }
        stanza = new Stanza(name, n);
    }

    private void other(int n, String word, String name, String rest) throws ConfigException {
        IscsiKey setting = IscsiKey.byDirective(word);
        if (setting != null) {
            if (stanza == null) {
                outsideStanza(n, word);
            } else {
                setting(n, stanza, setting, rest);
            }
        } else if (IGNORED.contains(name)) {
            LOG.warn("{}:{}: IET directive {} has no effect in Tandem; ignored", file, n, word);
        } else {
            String tgt = TgtConfSyntax.advice(file, word, rest, stanza == null ? null : stanza.name,
                    stanza == null ? 0 : nextLun(stanza));
            if (tgt != null) {
                throw new ConfigException(file, n, tgt);
            }
            throw new ConfigException(file, n, "unknown directive '" + ConfigText.visible(word) + "' (expected Target, Lun,"
                    + " IncomingUser, OutgoingUser, Alias or a target setting such as MaxConnections): check the"
                    + " spelling or remove the line");
        }
    }

    /** IET read target settings only inside a Target stanza and skipped them elsewhere: so does Tandem. */
    private void outsideStanza(int n, String word) {
        LOG.warn("{}:{}: {} has no effect in the global section (IET ignored it there too); ignored. Move it below"
                + " a Target line to apply it to that target", file, n, word);
    }

    private static int nextLun(Stanza s) {
        int free = 0;
        while (s.lunNumbers.contains(free)) {
            free++;
        }
        return free;
    }

    /**
     * IET took the two words after IncomingUser/OutgoingUser as NAME and SECRET, whatever they start with, and
     * ignored the line when one was missing. A bare directive is harmless; a NAME without SECRET would leave the
     * target open although the user meant to protect it, so Tandem refuses it.
     */
    private void account(int n, String raw, boolean incoming) throws ConfigException {
        String directive = incoming ? "IncomingUser" : "OutgoingUser";
        String[] parts = raw.isEmpty() ? new String[0] : raw.split("\\s+");
        if (incoming && parts.length > 1 && TrailingComment.starts(parts[0])) {
            // IET read words, not comments: it took '#...' as the NAME and the next word as the SECRET, so the
            // target (or discovery) required CHAP with that account. Read as a comment, it would be open instead.
            throw new ConfigException(file, n, "IncomingUser " + String.join(" ", parts) + ": IET took '" + parts[0]
                    + "' as a user name and '" + parts[1] + "' as its secret, so CHAP was required; read as a comment"
                    + " it would leave " + (stanza == null ? "discovery" : "the target") + " without CHAP. Write"
                    + " 'IncomingUser NAME SECRET', or remove the line (comment it out with '#' at its start)");
        }
        if (parts.length == 0 || TrailingComment.starts(parts[0])) {
            LOG.warn("{}:{}: {} without NAME and SECRET has no effect (IET ignored it too): no CHAP account is"
                    + " added", file, n, directive);
            return;
        }
        if (parts.length == 1 || parts[1].equals("#")) {
            String iet = parts.length == 1 ? "IET ignored such a line and left " + (stanza == null ? "discovery"
                    : "the target") + " without CHAP" : "IET would have taken the lone '#' as the secret";
            throw new ConfigException(file, n, directive + " " + parts[0] + " has no SECRET: " + iet + ". Write '"
                    + directive + " " + parts[0] + " SECRET' (12 to 16 characters for Microsoft's initiator) or"
                    + " remove the line");
        }
        if (parts.length > 2 && !TrailingComment.starts(parts[2])) {
            throw new ConfigException(file, n, directive + " takes one NAME and one SECRET without spaces; IET would"
                    + " have taken '" + parts[1] + "' as the secret and ignored the rest. Write '" + directive
                    + " NAME SECRET' (put a comment after a '#')");
        }
        String secret = parts[1];
        if (TrailingComment.starts(secret)) {
            LOG.warn("{}:{}: the {} secret of '{}' starts with '#': it is taken as the secret, as IET did, not as a"
                    + " comment", file, n, directive, parts[0]);
        }
        int length = secret.getBytes(StandardCharsets.UTF_8).length;
        if (length < 12 || length > 16) {
            LOG.warn("{}:{}: the {} secret of '{}' is {} bytes; Microsoft's initiator accepts only 12 to 16",
                    file, n, directive, parts[0], length);
        }
        ChapAccount a = new ChapAccount(parts[0], secret);
        if (incoming) {
            (stanza == null ? discoveryIncoming : stanza.incoming).add(a);
        } else if (stanza == null) {
            if (discoveryOutgoing != null) {
                throw new ConfigException(file, n, "only one OutgoingUser is allowed in the global section: keep"
                        + " one of the lines");
            }
            discoveryOutgoing = a;
        } else {
            if (stanza.outgoing != null) {
                throw new ConfigException(file, n, "only one OutgoingUser is allowed per target: keep one of the"
                        + " lines");
            }
            stanza.outgoing = a;
        }
    }

    private void setting(int n, Stanza s, IscsiKey setting, String value) throws ConfigException {
        Directive directive = setting.directive().orElseThrow();
        switch (directive.kind()) {
            case DIGEST -> {
                for (String v : value.split(",")) {
                    if (!v.strip().equals("None") && !v.strip().equals("CRC32C")) {
                        throw new ConfigException(file, n, "expected " + setting.keyName()
                                + " None, CRC32C or a comma list of them, got '" + value + "'");
                    }
                }
                s.settings.digest(setting, value.replace(" ", ""));
                warnDigestMeaning(n, s.name, setting, value);
            }
            case BOOLEAN -> {
                if (!value.equals("Yes") && !value.equals("No")) {
                    throw new ConfigException(file, n, "expected " + setting.keyName() + " Yes or No (case matters),"
                            + " got '" + value + "'");
                }
                int v = value.equals("Yes") ? 1 : 0;
                if (v < directive.min() || v > directive.max()) {
                    throw new ConfigException(file, n, setting.keyName() + " must be Yes in Tandem (as in IET):"
                            + " write '" + setting.keyName() + " Yes' or remove the line");
                }
                s.settings.set(setting, v);
            }
            case NUMBER -> s.settings.set(setting, IetdNumber.parseInt(file, n, setting.keyName(), value,
                    directive.min(), directive.max()));
        }
    }

    /**
     * IET's digest_str_to_val (usr/param.c, 0.4.x to trunk) always added None to the values written, and its
     * digest_set_val chose CRC32C whenever both sides allowed it. Tandem follows RFC 7143 (a single value forces it,
     * the initiator's first acceptable choice wins), so a digest line that names CRC32C means something else than in
     * IET: say so, with the line that keeps each meaning.
     */
    private void warnDigestMeaning(int n, String target, IscsiKey setting, String value) {
        List<String> values = Arrays.stream(value.split(",")).map(String::strip).toList();
        if (!values.contains("CRC32C")) {
            return;
        }
        String key = setting.keyName();
        if (!values.contains("None")) {
            LOG.warn("{}:{}: target {}: '{} {}' differs from IET: IET also let in initiators without digests;"
                    + " Tandem requires CRC32C: initiators that offer only None are refused. Write '{} CRC32C,None'"
                    + " to allow both", file, n, target, key, value, key);
        } else {
            LOG.warn("{}:{}: target {}: '{} {}' differs from IET: IET chose CRC32C whenever the initiator allowed"
                    + " it; Tandem takes the initiator's first choice as RFC 7143 says: initiators that offer None"
                    + " first get no digest. Write '{} CRC32C' to require it", file, n, target, key, value, key);
        }
    }

    private void finishStanza() throws ConfigException {
        if (stanza == null) {
            return;
        }
        TargetSettings settings = stanza.settings.build();
        if (settings.number(IscsiKey.FIRST_BURST_LENGTH) > settings.number(IscsiKey.MAX_BURST_LENGTH)) {
            throw new ConfigException(file, stanza.line, "target " + stanza.name
                    + ": FirstBurstLength must not exceed MaxBurstLength: lower FirstBurstLength or raise"
                    + " MaxBurstLength");
        }
        List<LunConfig> luns = new ArrayList<>(stanza.luns);
        luns.sort((a, b) -> Integer.compare(a.number(), b.number()));
        targets.add(new TargetConfig(stanza.name, stanza.alias, List.copyOf(luns), List.copyOf(stanza.incoming),
                stanza.outgoing, settings));
        stanza = null;
    }
}
