package org.tandem.ha.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * authkeys: {@code auth N} selects the key heartbeats are signed with; {@code N sha1|sha256 SECRET} lines define
 * keys (every defined key is accepted on receipt, so keys can be rolled one node at a time); '#' starts a
 * comment, at the start of a line or after the words. Like Heartbeat,
 * Tandem refuses a file that anyone but its owner can read. Heartbeat's {@code crc} (no security) and
 * {@code md5} are refused.
 */
public final class AuthKeys {
    /** A key: its index, HMAC algorithm (JCA name) and secret. */
    public record Key(int index, String algorithm, byte[] secret) {
        @Override
        public String toString() {
            return "Key[" + index + " " + algorithm + "]"; // never the secret
        }
    }

    /** The index travels in one byte of each packet; Heartbeat's own 0-15 fit. */
    private static final int MAX_INDEX = 255;
    /** Heartbeat's sscanf("auth %d") also takes the number glued on: auth1. */
    private static final Pattern AUTH_GLUED = Pattern.compile("auth(\\d+)");

    private final Key active;
    private final Map<Integer, Key> keys;

    private AuthKeys(Key active, Map<Integer, Key> keys) {
        this.active = active;
        this.keys = keys;
    }

    public Key active() {
        return active;
    }

    /** The key with this index, or null. */
    public Key key(int index) {
        return keys.get(index);
    }

    public static AuthKeys read(Path file) throws HaConfigException {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : mode) {
                if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                    throw new HaConfigException(file + " is mode " + PosixFilePermissions.toString(mode)
                            + ": it holds the cluster's secret, so it must be readable by its owner only (chmod 600)");
                }
            }
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HaConfigException("cannot read " + file + ": " + e);
        }
    }

    /**
     * Parses lines as if read from {@code file} (no permission check), as Heartbeat's parse_authfile reads them:
     * a line whose first word starts with '#' is a comment; {@code auth N} picks the signing key;
     * {@code N METHOD SECRET} defines one. Heartbeat reads those with sscanf and drops whatever follows, which is
     * why {@code auth 1 # comment} and {@code 1 sha1 SECRET # comment} work there. Tandem drops a trailing comment
     * (from a word starting with '#') the same way, but refuses other trailing words: Heartbeat would silently
     * have ignored them, and a secret written as several words would have been cut to its first.
     */
    public static AuthKeys parse(Path file, List<String> lines) throws HaConfigException {
        lines = ConfigText.withoutByteOrderMark(file, lines);
        Integer auth = null;
        int authLine = 0;
        Map<Integer, Key> keys = new LinkedHashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            List<String> w = words(lines.get(n - 1));
            if (w.isEmpty()) {
                continue;
            }
            Matcher glued = AUTH_GLUED.matcher(w.get(0));
            if (w.get(0).equals("auth") || glued.matches()) {
                List<String> value = glued.matches() ? List.of(glued.group(1)) : w.subList(1, w.size());
                if (value.size() != 1) {
                    throw new HaConfigException(file, n, "expected 'auth N' (N: the index of the key that signs"
                            + " heartbeats)" + (value.isEmpty() ? "" : "; Heartbeat would ignore " + value.subList(1,
                            value.size()) + ": remove it, or start a comment with '#'"));
                }
                if (auth != null) {
                    throw new HaConfigException(file, n, "a second auth line (the first is line " + authLine
                            + "): keep one");
                }
                auth = index(file, n, value.get(0));
                authLine = n;
                continue;
            }
            keys(file, n, w, keys);
        }
        if (auth == null) {
            throw new HaConfigException(file + ": no 'auth N' line saying which key signs heartbeats: add one,"
                    + " e.g. 'auth 1'");
        }
        Key active = keys.get(auth);
        if (active == null) {
            throw new HaConfigException(file, authLine, "auth " + auth + " names a key that is not defined: add a"
                    + " line '" + auth + " sha256 SECRET' or name a key defined here " + keys.keySet());
        }
        return new AuthKeys(active, Map.copyOf(keys));
    }

    /** One {@code N METHOD SECRET} line, added to {@code keys}. */
    private static void keys(Path file, int n, List<String> w, Map<Integer, Key> keys) throws HaConfigException {
        int index = index(file, n, w.get(0));
        if (w.size() < 2) {
            throw new HaConfigException(file, n, "expected 'N sha1|sha256 SECRET', got only the index " + index);
        }
        String method = w.get(1);
        String algorithm = switch (method.toLowerCase(Locale.ROOT)) {
            case "sha1" -> "HmacSHA1";
            case "sha256" -> "HmacSHA256";
            case "md5", "crc" -> throw new HaConfigException(file, n, method + " is not accepted: "
                    + (method.equalsIgnoreCase("crc") ? "it authenticates nothing" : "MD5 is broken")
                    + "; write '" + index + " sha256 SECRET'");
            default -> throw new HaConfigException(file, n, "expected sha1 or sha256, got '" + method + "': write '"
                    + index + " sha256 SECRET'");
        };
        if (w.size() > 3) {
            throw new HaConfigException(file, n, "key " + index + " has more than one word after " + method
                    + ": a secret is one word (Heartbeat would have used only '" + w.get(2) + "'); write '" + index
                    + " " + method + " SECRET' with the secret in one word, and start any comment with '#'");
        }
        if (w.size() != 3 || w.get(2).length() < 16) {
            throw new HaConfigException(file, n, "key " + index + " needs one secret of at least 16 characters"
                    + " (e.g. from: openssl rand -hex 32; a word starting with '#' is a comment)");
        }
        if (keys.put(index, new Key(index, algorithm, w.get(2).getBytes(StandardCharsets.UTF_8))) != null) {
            throw new HaConfigException(file, n, "key " + index + " is defined twice: keep one line for it");
        }
    }

    /** The line's white-space separated words up to the first word that starts with '#' (a comment). */
    private static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        for (String word : line.strip().split("\\s+")) {
            if (word.startsWith("#")) {
                break;
            }
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static int index(Path file, int n, String s) throws HaConfigException {
        try {
            int i = Integer.parseInt(s);
            if (i < 0 || i > MAX_INDEX) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new HaConfigException(file, n, "expected a key index from 0 to " + MAX_INDEX + ", got '" + s
                    + "': write 'auth N' or 'N sha256 SECRET'");
        }
    }
}
