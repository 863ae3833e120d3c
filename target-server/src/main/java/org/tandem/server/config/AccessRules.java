package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * initiators.allow, initiators.deny or targets.allow: lines of {@code TARGET|ALL LIST}, LIST a comma list of IPv4
 * addresses, CIDR ranges, bracketed IPv6 addresses (optionally with /prefix), initiator-name regular expressions
 * anchored at both ends, or ALL. For a target, only the first line that names it or ALL counts, and reading stops
 * at the first ALL line, exactly as IET's match() reads the file; lines that can never count are warned about. Read
 * as an allow file: with no file at all everything is allowed; with a file, what no rule
 * allows is refused. How initiators.deny combines with initiators.allow is {@link InitiatorAccess}'s job.
 */
public final class AccessRules {
    private static final Logger LOG = LogManager.getLogger(AccessRules.class);
    private final List<Line> lines;
    private final boolean present;

    /** One rule line; {@code number} is its line in the file (0 for a line made by the admin endpoint). */
    private record Line(int number, String target, List<Item> items, List<String> texts) {
    }

    private sealed interface Item permits Everyone, AddressRange, NamePattern {
    }

    private record Everyone() implements Item {
    }

    private record AddressRange(byte[] network, int prefix) implements Item {
        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }

    private record NamePattern(Pattern pattern) implements Item {
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?");
    /** Words that look like a host name rather than an iSCSI name pattern: letters, digits, '-' and '.' only. */
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
    private static final Pattern ISCSI_NAME_START = Pattern.compile("(?i)(iqn|eui|naa)\\..*");
    /** Words of tgt's targets.conf that an access-file line may start with when copied from a tgt how-to. */
    private static final Set<String> TGT_WORDS = Set.of("initiator-address", "initiator-name", "incominguser",
            "outgoinguser", "<target", "</target>", "backing-store", "direct-store");

    private AccessRules(List<Line> lines, boolean present) {
        this.lines = lines;
        this.present = present;
    }

    /** Rules that allow everything, as when the file does not exist. */
    public static AccessRules allowAll() {
        return absent();
    }

    /** The rules of a file that does not exist: as an allow file they allow everything; they match no one. */
    public static AccessRules absent() {
        return new AccessRules(List.of(), false);
    }

    /**
     * Reads a file; a missing file gives {@link #absent()}. Lines and items that can never match (a target ietd.conf
     * does not define, {@code all} for ALL, an item with white space inside, a host name) are read as IET read them
     * and warned about once, with file and line.
     *
     * @param targets the targets ietd.conf defines
     */
    public static AccessRules read(Path file, Collection<String> targets) throws ConfigException {
        AccessRules rules = read(file);
        rules.warnUndefinedTargets(file, targets);
        return rules;
    }

    /** Reads a file without checking the target names against ietd.conf (for tests of the items alone). */
    static AccessRules read(Path file) throws ConfigException {
        if (!Files.exists(file)) {
            return absent();
        }
        List<String> text = ConfigText.read(file);
        List<Line> lines = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int n = 1; n <= text.size(); n++) {
            String line = text.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (n == text.size() && !endsWithNewline(file)) {
                // IET's match() reads with fgets and skips a line that does not end in a newline
                LOG.warn("{}:{}: never read: the last line has no newline at its end, and IET skipped such a line"
                        + " (so does Tandem, to keep what IET did); end the file with a newline to apply it", file, n);
                break;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2) {
                throw new ConfigException(file, n, "expected 'TARGET|ALL LIST', got '" + line + "'");
            }
            List<Item> items = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (String raw : parts[1].split(",")) {
                String item = raw.strip();
                if (!item.isEmpty()) {
                    Item parsed = parseItem(file, n, item);
                    warnNeverMatching(file, n, item, parsed);
                    items.add(parsed);
                    texts.add(item);
                }
            }
            Integer first = firstLine.putIfAbsent(IscsiName.key(parts[0]), n);
            if (first != null) {
                LOG.warn("{}:{}: never read: line {} already names {}, and IET and Tandem consult only the first"
                        + " line for a target; put these items on line {}", file, n, first, parts[0], first);
                continue;
            }
            lines.add(new Line(n, parts[0], items, List.copyOf(texts)));
            if (parts[0].equals("ALL")) {
                warnUnread(file, text, n);
                break;
            }
        }
        return new AccessRules(List.copyOf(lines), true);
    }

    /** Whether the file's last byte ends a line (an empty file has no line to lose). */
    private static boolean endsWithNewline(Path file) throws ConfigException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() == 0) {
                return true;
            }
            f.seek(f.length() - 1);
            int last = f.read();
            return last == '\n' || last == '\r';
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rule lines after the ALL line are never read (IET stops there too): say so once, with the first of them. */
    private static void warnUnread(Path file, List<String> text, int allLine) {
        for (int n = allLine + 1; n <= text.size(); n++) {
            String line = text.get(n - 1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                LOG.warn("{}:{}: never read: reading stops at the ALL line (line {}), as in IET; move the lines"
                        + " from here on above it", file, n, allLine);
                return;
            }
        }
    }

    /**
     * Items IET read in a way that matches nothing, or nothing the writer meant: IET compared with "ALL" exactly,
     * split items at commas only, and never looked a name up (getaddrinfo with AI_NUMERICHOST); targets.allow is
     * matched against the portal's address alone, so a name there matches no portal.
     */
    private static void warnNeverMatching(Path file, int n, String item, Item parsed) {
        boolean portals = file.getFileName().toString().equals("targets.allow");
        if (item.equalsIgnoreCase("ALL") && !item.equals("ALL")) {
            LOG.warn("{}:{}: '{}' is not ALL: IET compares with ALL exactly, so this item is read as "
                    + (portals ? "a name, which matches no portal" : "a name pattern matching only an initiator"
                    + " named '" + item + "'") + "; write ALL", file, n, item);
        } else if (item.chars().anyMatch(Character::isWhitespace)) {
            LOG.warn("{}:{}: '{}' is one item that matches nothing: items are separated by commas, not spaces;"
                    + " write '{}'", file, n, item, String.join(", ", item.split("\\s+")));
        } else if (parsed instanceof NamePattern && portals) {
            LOG.warn("{}:{}: '{}' is not an address: targets.allow is matched against the portal's address only"
                    + " (as in IET), so it matches no portal; write the portal's address or range", file, n, item);
        } else if (parsed instanceof NamePattern && HOST_NAME.matcher(item).matches()
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
    private void warnUndefinedTargets(Path file, Collection<String> targets) {
        Set<String> defined = new HashSet<>();
        targets.forEach(t -> defined.add(IscsiName.key(t)));
        for (Line l : lines) {
            if (l.target.equals("ALL") || defined.contains(IscsiName.key(l.target))) {
                continue;
            }
            String shown = ConfigText.visible(l.target);
            if (l.target.equalsIgnoreCase("ALL")) {
                LOG.warn("{}:{}: '{}' is not ALL: IET compares with ALL exactly, so this line is read as one for a"
                        + " target called '{}', which ietd.conf does not define, and never applies; write ALL",
                        file, l.number, shown, shown);
            } else if (TGT_WORDS.contains(l.target.toLowerCase(Locale.ROOT))) {
                LOG.warn("{}:{}: '{} {}' is tgt's targets.conf syntax, not IET's: it is read as a line for a target"
                        + " called '{}', which ietd.conf does not define, so it restricts nothing; write 'TARGET {}'"
                        + " with a target of ietd.conf (or ALL)", file, l.number, shown, String.join(", ", l.texts),
                        shown, String.join(", ", l.texts));
            } else {
                LOG.warn("{}:{}: target '{}' is not defined in ietd.conf ({}), so this line never applies (IET"
                        + " skipped it too); correct the name or remove the line", file, l.number, shown,
                        targets.isEmpty() ? "it defines no target" : targets.size() > 5 ? "it defines "
                        + targets.size() + " targets" : "it defines " + String.join(", ", targets));
            }
        }
    }

    private static Item parseItem(Path file, int n, String item) throws ConfigException {
        if (item.equals("ALL")) {
            return new Everyone();
        }
        // As IET's __match(): [ADDRESS] or ADDRESS, then /PREFIX; what getaddrinfo(AI_NUMERICHOST) reads is an
        // address (never looked up as a host name), anything else a name pattern.
        boolean bracketed = item.startsWith("[");
        String address = item;
        String prefixText = null;
        if (bracketed) {
            int close = item.indexOf(']');
            if (close < 0) {
                throw new ConfigException(file, n, "unclosed '[' in IPv6 address '" + item
                        + "': write [ADDRESS] or [ADDRESS]/PREFIX");
            }
            address = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith("/")) {
                throw new ConfigException(file, n, "expected [ADDRESS] or [ADDRESS]/PREFIX, got '" + item + "'");
            }
            prefixText = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int slash = item.indexOf('/');
            if (slash > 0) {
                address = item.substring(0, slash);
                prefixText = item.substring(slash + 1);
            }
        }
        Optional<InetAddress> numeric = NumericHost.parse(address);
        if (numeric.isEmpty()) {
            if (bracketed || IPV4.matcher(item).matches()) {
                // never looked up as a host name: IET's getaddrinfo(AI_NUMERICHOST) did not either
                throw new ConfigException(file, n, "expected an address, CIDR range, name pattern or ALL, got '"
                        + item + "'");
            }
            try {
                PosixBasicRegex.Translation name = PosixBasicRegex.translate(item);
                for (String note : name.notes()) {
                    LOG.warn("{}:{}: in the initiator-name pattern '{}': {}", file, n, item, note);
                }
                return new NamePattern(name.pattern());
            } catch (PatternSyntaxException e) {
                throw new ConfigException(file, n, "bad initiator-name pattern '" + item + "': " + e.getDescription()
                        + " (write a POSIX basic regular expression, as IET did, such as"
                        + " iqn\\.1993-08\\.org\\.debian:.*)");
            }
        }
        InetAddress a = numeric.get();
        if (a.getAddress().length == 4 && !NumericHost.plainIpv4(address, a)) {
            LOG.warn("{}:{}: '{}' is read as {}, as IET read it (inet_aton: a leading 0 is octal, 0x hex, missing"
                    + " parts are zero); write {} to say so plainly", file, n, address, a.getHostAddress(),
                    a.getHostAddress());
        }
        byte[] bytes = a.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (prefixText != null) {
            if (!prefixText.matches("[1-9][0-9]{0,2}|0")) {
                throw new ConfigException(file, n, "prefix '/" + prefixText + "' of '" + item + "' is not a decimal"
                        + " number of bits (IET read a leading 0 as octal): write e.g. /24");
            }
            prefix = Integer.parseInt(prefixText);
            if (prefix > bits) {
                throw new ConfigException(file, n, "prefix /" + prefix + " too long for '" + item
                        + "': at most /32 for IPv4, /128 for IPv6");
            }
        }
        return new AddressRange(bytes, prefix);
    }

    /** Whether the rules came from a file (without one, everything is allowed). */
    public boolean present() {
        return present;
    }

    /** The items of the lines naming this target (iSCSI names compare without case; not ALL lines), as written; empty when none. */
    public List<String> rulesFor(String target) {
        return texts(target::equalsIgnoreCase);
    }

    /**
     * The items consulted for this target, as written: those of the first line that names it or ALL, and only
     * those, as IET's match() reads the file (so in IET's shipped layout, per-target lines above a closing
     * {@code ALL ALL}, a target with its own line is restricted to it). Empty when no line applies.
     */
    public List<String> consultedFor(String target) {
        Line line = consulted(target);
        return line == null ? List.of() : line.texts;
    }

    /** The number of the line consulted for this target (see {@link #consultedFor}); empty when none applies. */
    public OptionalInt consultedLine(String target) {
        Line line = consulted(target);
        return line == null || line.number == 0 ? OptionalInt.empty() : OptionalInt.of(line.number);
    }

    private Line consulted(String target) {
        for (Line l : lines) {
            if (l.target.equalsIgnoreCase(target) || l.target.equals("ALL")) {
                return l;
            }
        }
        return null;
    }

    private List<String> texts(Predicate<String> lineTarget) {
        List<String> all = new ArrayList<>();
        for (Line l : lines) {
            if (lineTarget.test(l.target)) {
                all.addAll(l.texts);
            }
        }
        return all;
    }

    /** Whether the items consulted for this target include ALL, so that every initiator matches. */
    public boolean matchesEveryone(String target) {
        return consultedFor(target).contains("ALL");
    }

    /** Whether the ALL line (the one consulted for every target) holds the item ALL: every initiator matches. */
    public boolean matchesEveryone() {
        return lines.stream().anyMatch(l -> l.target.equals("ALL") && l.texts.contains("ALL"));
    }

    /** Whether there is no rule line at all (no file, or one with only comments and blank lines). */
    public boolean empty() {
        return lines.isEmpty();
    }

    /**
     * Rules with this target's own lines replaced by one line of {@code items} (none: the target's lines go). When
     * there was no file (everything open), each of {@code otherTargets} gets a line of its own allowing ALL, so
     * they stay open as they were and a later edit of one target never changes what another gets.
     *
     * @throws ConfigException naming {@code file} when an item is not an address, range, pattern or ALL
     */
    public AccessRules withRules(Path file, String target, List<String> items, List<String> otherTargets)
            throws ConfigException {
        List<Line> next = new ArrayList<>();
        boolean placed = false;
        Line replacement = null;
        if (!items.isEmpty()) {
            List<Item> parsed = new ArrayList<>();
            for (String item : items) {
                parsed.add(parseItem(file, 0, item.strip()));
            }
            replacement = new Line(0, target, List.copyOf(parsed), items.stream().map(String::strip).toList());
        }
        for (Line l : lines) {
            if (l.target.equalsIgnoreCase(target)) {
                if (!placed && replacement != null) {
                    next.add(replacement);
                }
                placed = true;
                continue;
            }
            if (!placed && replacement != null && l.target.equals("ALL")) {
                next.add(replacement);
                placed = true;
            }
            next.add(l);
        }
        if (!placed && replacement != null) {
            next.add(replacement);
        }
        if (!present && replacement != null) {
            for (String other : otherTargets) {
                if (!other.equals(target)) {
                    next.add(new Line(0, other, List.of(new Everyone()), List.of("ALL")));
                }
            }
        }
        return new AccessRules(List.copyOf(next), present || replacement != null);
    }

    /**
     * The file's text for these rules, keeping the comments and the order of {@code original} (the file as it
     * was read, or empty): a target's line is rewritten in place, new lines go before the ALL line.
     */
    public String render(List<String> original) {
        List<String> out = new ArrayList<>();
        List<Line> pending = new ArrayList<>(lines);
        for (String raw : ConfigText.withoutByteOrderMark(original)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                out.add(raw);
                continue;
            }
            String target = line.split("\\s+", 2)[0];
            if (target.equals("ALL")) {
                break; // reading stops at ALL; what follows is written from the rules below
            }
            Line now = take(pending, target);
            if (now != null) {
                out.add(now.target + " " + String.join(", ", now.texts));
            }
        }
        for (Line l : pending) {
            out.add(l.target + " " + String.join(", ", l.texts));
        }
        return String.join("\n", out) + "\n";
    }

    private static Line take(List<Line> pending, String target) {
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).target.equalsIgnoreCase(target)) {
                return pending.remove(i);
            }
        }
        return null;
    }

    /** True when the file allows this initiator (by address or name; name may be null) to reach the target. */
    public boolean allows(String target, InetAddress address, String name) {
        return !present || matches(target, address, name);
    }

    /**
     * True when the line consulted for this target (see {@link #consultedFor}) matches the initiator (by address or
     * name; name may be null). No file matches no one: IET's match() answers ENOENT there, which it counts as no match.
     */
    public boolean matches(String target, InetAddress address, String name) {
        Line line = consulted(target);
        if (line == null) {
            return false;
        }
        for (Item item : line.items) {
            if (matches(item, address, name)) {
                return true;
            }
        }
        return false;
    }

    /** Equal rules: both from a file or both not, with the same lines as written (what a reload compares). */
    @Override
    public boolean equals(Object o) {
        return o instanceof AccessRules other && present == other.present && written().equals(other.written());
    }

    @Override
    public int hashCode() {
        return written().hashCode() * 31 + Boolean.hashCode(present);
    }

    private List<List<String>> written() {
        return lines.stream().map(l -> {
            List<String> words = new ArrayList<>(l.texts.size() + 1);
            words.add(l.target);
            words.addAll(l.texts);
            return words;
        }).toList();
    }

    private static boolean matches(Item item, InetAddress address, String name) {
        if (item instanceof AddressRange r) {
            return address != null && r.contains(address);
        }
        if (item instanceof NamePattern p) {
            return name != null && p.pattern.matcher(name).matches();
        }
        return true;
    }
}
