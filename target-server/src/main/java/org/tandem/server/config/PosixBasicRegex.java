package org.tandem.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An initiator-name pattern of initiators.allow / initiators.deny, read as IET read it: IET compiles
 * {@code ^PATTERN$} with {@code regcomp(..., REG_NOSUB)}, a POSIX basic regular expression with glibc's extensions
 * ({@code \+ \? \|}). Java's dialect differs where it matters: in a basic expression {@code + ? | ( ) { }} are
 * plain characters (so {@code host.+} matches only names ending in a literal plus), {@code \( \) \{ \}} group and
 * count, and {@code [[:digit:]]} is a character class Java would read as the set of characters [ : d i g t. This
 * class turns such a pattern into the Java pattern with the same meaning, and notes what IET users often got wrong
 * so the operator hears of it once, at start.
 */
final class PosixBasicRegex {
    private static final Map<String, String> CLASSES = Map.ofEntries(Map.entry("alnum", "\\p{Alnum}"),
            Map.entry("alpha", "\\p{Alpha}"), Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"),
            Map.entry("digit", "\\p{Digit}"), Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"),
            Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\p{Space}"),
            Map.entry("upper", "\\p{Upper}"), Map.entry("xdigit", "\\p{XDigit}"));

    /** The pattern in Java's dialect, and what the operator should hear about the way it was written. */
    record Translation(Pattern pattern, List<String> notes) {
    }

    private final String source;
    private final StringBuilder out = new StringBuilder();
    private final List<String> notes = new ArrayList<>();
    private int at;
    private int groups;

    private PosixBasicRegex(String source) {
        this.source = source;
    }

    /**
     * @param bre a pattern as written in initiators.allow (IET anchors it at both ends itself)
     * @return the Java pattern with IET's meaning, matched against a whole initiator name
     * @throws PatternSyntaxException where regcomp would have failed too (unbalanced groups or brackets)
     */
    static Translation translate(String bre) {
        PosixBasicRegex t = new PosixBasicRegex(bre);
        t.expression();
        return new Translation(Pattern.compile(t.out.toString()), List.copyOf(t.notes));
    }

    private void expression() {
        boolean expressionStart = true;
        while (at < source.length()) {
            char c = source.charAt(at++);
            switch (c) {
                case '\\' -> expressionStart = escaped();
                case '[' -> {
                    bracket();
                    expressionStart = false;
                }
                case '^' -> {
                    if (at == 1) {
                        // IET wrote "^" + pattern, so this one is not at the start of its expression: a literal.
                        // Nobody means that; say so and read it as the anchor it was meant to be.
                        notes.add("'^' is implicit (patterns match the whole name); IET read this one as a"
                                + " literal '^', so the item never matched there");
                    } else {
                        out.append("\\^");
                    }
                    expressionStart = false;
                }
                case '$' -> {
                    if (at == source.length()) {
                        notes.add("'$' is implicit (patterns match the whole name); IET read this one as a"
                                + " literal '$', so the item never matched there");
                    } else {
                        out.append("\\$");
                    }
                    expressionStart = false;
                }
                case '*' -> {
                    out.append(expressionStart ? "\\*" : "*"); // a leading '*' is a plain character in POSIX
                    expressionStart = false;
                }
                case '+', '?' -> {
                    out.append('\\').append(c);
                    notes.add("'" + c + "' is a plain character in IET's (POSIX basic) patterns; write '\\" + c
                            + "' for " + (c == '+' ? "one or more" : "zero or one"));
                    expressionStart = false;
                }
                case '|', '(', ')', '{', '}' -> {
                    out.append('\\').append(c);
                    notes.add("'" + c + "' is a plain character in IET's (POSIX basic) patterns; write '\\" + c
                            + "' for its special meaning");
                    expressionStart = false;
                }
                default -> {
                    out.append(c);
                    expressionStart = false;
                }
            }
        }
        if (groups != 0) {
            throw new PatternSyntaxException("unmatched \\(", source, source.length());
        }
    }

    /** After a backslash; returns whether what follows starts an expression (after a group opens or '\|'). */
    private boolean escaped() {
        if (at >= source.length()) {
            throw new PatternSyntaxException("trailing backslash", source, at);
        }
        char c = source.charAt(at++);
        switch (c) {
            case '(' -> {
                groups++;
                out.append('(');
                return true;
            }
            case ')' -> {
                if (--groups < 0) {
                    throw new PatternSyntaxException("unmatched \\)", source, at);
                }
                out.append(')');
            }
            case '|' -> {
                out.append('|');
                return true;
            }
            case '{', '}', '+', '?' -> out.append(c);
            case '<', '>' -> out.append("\\b");
            case '`' -> out.append("\\A");
            case '\'' -> out.append("\\z");
            case 'w', 'W', 's', 'S', 'b', 'B' -> out.append('\\').append(c);
            default -> {
                if (c >= '1' && c <= '9') {
                    out.append('\\').append(c);
                } else {
                    out.append(Pattern.quote(String.valueOf(c)));
                }
            }
        }
        return false;
    }

    /** A bracket expression, {@code [} already read: POSIX rules inside (a backslash is a plain character). */
    private void bracket() {
        out.append('[');
        if (at < source.length() && source.charAt(at) == '^') {
            out.append('^');
            at++;
        }
        boolean first = true;
        while (true) {
            if (at >= source.length()) {
                throw new PatternSyntaxException("unclosed '['", source, at);
            }
            char c = source.charAt(at++);
            if (c == ']' && !first) {
                out.append(']');
                return;
            }
            first = false;
            if (c == '[' && at < source.length() && source.charAt(at) == ':') {
                int end = source.indexOf(":]", at + 1);
                Optional<String> cls = end < 0 ? Optional.empty()
                        : Optional.ofNullable(CLASSES.get(source.substring(at + 1, end)));
                if (cls.isEmpty()) {
                    throw new PatternSyntaxException("unknown character class", source, at);
                }
                out.append(cls.get());
                at = end + 2;
            } else if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
                out.append('\\').append(c); // plain characters here; special to Java
            } else {
                out.append(c);
            }
        }
    }
}
