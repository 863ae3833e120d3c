package org.tandem.ha.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * authkeys: {@code auth N} selects the key heartbeats are signed with; {@code N sha1|sha256 SECRET} lines define
 * keys (every defined key is accepted on receipt, so keys can be rolled one node at a time). Like Heartbeat,
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

    /** Parses lines as if read from {@code file} (no permission check). */
    public static AuthKeys parse(Path file, List<String> lines) throws HaConfigException {
        Integer auth = null;
        int authLine = 0;
        Map<Integer, Key> keys = new LinkedHashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+");
            if (w[0].equals("auth")) {
                if (w.length != 2) {
                    throw new HaConfigException(file, n, "expected 'auth N'");
                }
                auth = index(file, n, w[1]);
                authLine = n;
                continue;
            }
            int index = index(file, n, w[0]);
            if (w.length < 2) {
                throw new HaConfigException(file, n, "expected 'N sha1|sha256 SECRET'");
            }
            String algorithm = switch (w[1].toLowerCase(Locale.ROOT)) {
                case "sha1" -> "HmacSHA1";
                case "sha256" -> "HmacSHA256";
                case "md5", "crc" -> throw new HaConfigException(file, n, w[1] + " is not accepted: "
                        + (w[1].equals("crc") ? "it authenticates nothing" : "MD5 is broken") + "; use sha256");
                default -> throw new HaConfigException(file, n, "expected sha1 or sha256, got '" + w[1] + "'");
            };
            if (w.length != 3 || w[2].length() < 16) {
                throw new HaConfigException(file, n, "key " + index + " needs one secret of at least 16 characters"
                        + " (e.g. from: openssl rand -hex 32)");
            }
            if (keys.put(index, new Key(index, algorithm, w[2].getBytes(StandardCharsets.UTF_8))) != null) {
                throw new HaConfigException(file, n, "key " + index + " is defined twice");
            }
        }
        if (auth == null) {
            throw new HaConfigException(file + ": no 'auth N' line saying which key signs heartbeats");
        }
        Key active = keys.get(auth);
        if (active == null) {
            throw new HaConfigException(file, authLine, "auth " + auth + " names a key that is not defined");
        }
        return new AuthKeys(active, Map.copyOf(keys));
    }

    private static int index(Path file, int n, String s) throws HaConfigException {
        try {
            int i = Integer.parseInt(s);
            if (i < 1 || i > 255) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new HaConfigException(file, n, "expected a key index from 1 to 255, got '" + s + "'");
        }
    }
}
