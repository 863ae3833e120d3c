package org.tandem.server.config;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * initiators.allow, initiators.deny or targets.allow: lines of {@code TARGET|ALL LIST}, LIST a comma list of IPv4
 * addresses, CIDR ranges, bracketed IPv6 addresses (optionally with /prefix), initiator-name regular expressions
 * anchored at both ends, or ALL. For a target, only the first line that names it or ALL counts, and reading stops
 * at the first ALL line, exactly as IET's match() reads the file; lines that can never count are warned about. Read
 * as an allow file: with no file at all everything is allowed; with a file, what no rule
 * allows is refused. How initiators.deny combines with initiators.allow is {@link InitiatorAccess}'s job.
 *
 * <p>This class answers the questions asked of the rules and edits them; {@link AccessFileReader} reads the lines,
 * {@link AccessItemParser} the items, and {@link NeverMatchingRules} warns about what can never match.
 */
public final class AccessRules {
    private final List<AccessLine> lines;
    private final boolean present;

    private AccessRules(List<AccessLine> lines, boolean present) {
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
        NeverMatchingRules.warnUndefinedTargets(file, rules.lines, targets);
        return rules;
    }

    /** Reads a file without checking the target names against ietd.conf (for tests of the items alone). */
    static AccessRules read(Path file) throws ConfigException {
        return Files.exists(file) ? new AccessRules(AccessFileReader.read(file), true) : absent();
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
        AccessLine line = consulted(target);
        return line == null ? List.of() : line.texts();
    }

    /** The number of the line consulted for this target (see {@link #consultedFor}); empty when none applies. */
    public OptionalInt consultedLine(String target) {
        AccessLine line = consulted(target);
        return line == null || line.number() == 0 ? OptionalInt.empty() : OptionalInt.of(line.number());
    }

    private AccessLine consulted(String target) {
        for (AccessLine l : lines) {
            if (l.target().equalsIgnoreCase(target) || l.target().equals("ALL")) {
                return l;
            }
        }
        return null;
    }

    private List<String> texts(Predicate<String> lineTarget) {
        List<String> all = new ArrayList<>();
        for (AccessLine l : lines) {
            if (lineTarget.test(l.target())) {
                all.addAll(l.texts());
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
        return lines.stream().anyMatch(l -> l.target().equals("ALL") && l.texts().contains("ALL"));
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
        List<AccessLine> next = new ArrayList<>();
        boolean placed = false;
        AccessLine replacement = null;
        if (!items.isEmpty()) {
            List<AccessItem> parsed = new ArrayList<>();
            for (String item : items) {
                parsed.add(AccessItemParser.parse(file, 0, item.strip()));
            }
            replacement = new AccessLine(0, target, List.copyOf(parsed), items.stream().map(String::strip).toList());
        }
        for (AccessLine l : lines) {
            if (l.target().equalsIgnoreCase(target)) {
                if (!placed && replacement != null) {
                    next.add(replacement);
                }
                placed = true;
                continue;
            }
            if (!placed && replacement != null && l.target().equals("ALL")) {
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
                    next.add(new AccessLine(0, other, List.of(new AccessItem.Everyone()), List.of("ALL")));
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
        List<AccessLine> pending = new ArrayList<>(lines);
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
            AccessLine now = take(pending, target);
            if (now != null) {
                out.add(now.target() + " " + String.join(", ", now.texts()));
            }
        }
        for (AccessLine l : pending) {
            out.add(l.target() + " " + String.join(", ", l.texts()));
        }
        return String.join("\n", out) + "\n";
    }

    private static AccessLine take(List<AccessLine> pending, String target) {
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).target().equalsIgnoreCase(target)) {
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
        AccessLine line = consulted(target);
        if (line == null) {
            return false;
        }
        for (AccessItem item : line.items()) {
            if (item.matches(address, name)) {
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
            List<String> words = new ArrayList<>(l.texts().size() + 1);
            words.add(l.target());
            words.addAll(l.texts());
            return words;
        }).toList();
    }
}
