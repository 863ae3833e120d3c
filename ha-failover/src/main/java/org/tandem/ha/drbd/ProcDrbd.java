package org.tandem.ha.drbd;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of DRBD's {@code /proc/drbd}: the module's version (first line, {@code version: 8.4.11 (api:1/...)}) and,
 * on DRBD 8.x, one line per configured minor, e.g.
 * {@code  0: cs:Connected ro:Primary/Secondary ds:UpToDate/UpToDate C r-----}. Reading it costs no process, where
 * drbdadm role, dstate and cstate cost one each. DRBD 9 lists no minors there (its state is in drbdsetup status).
 */
public final class ProcDrbd {
    /** 8.0-8.2 wrote the roles as {@code st:}, 8.3 and later as {@code ro:}. Unconfigured minors do not match. */
    private static final Pattern MINOR = Pattern.compile(
            "^\\s*(\\d+):\\s+cs:(\\S+)\\s+(?:ro|st):([^/\\s]+)/(\\S+)\\s+ds:([^/\\s]+)/(\\S+)");
    private static final Pattern VERSION = Pattern.compile("^version:\\s*(\\d+)\\.");

    /** One minor's line: its connection state, and local/peer role and disk state as 8.x reports them. */
    public record Minor(int minor, String connectionState, String role, String peerRole, String diskState,
                        String peerDiskState) {
    }

    private final int majorVersion;
    private final Map<Integer, Minor> minors;

    private ProcDrbd(int majorVersion, Map<Integer, Minor> minors) {
        this.majorVersion = majorVersion;
        this.minors = Map.copyOf(minors);
    }

    /** Parses the file's text; a text without a version line gives major version 0 (nothing to use). */
    public static ProcDrbd parse(String text) {
        int major = 0;
        Map<Integer, Minor> minors = new TreeMap<>();
        for (String line : text.lines().toList()) {
            Matcher v = VERSION.matcher(line);
            if (major == 0 && v.find()) {
                major = Integer.parseInt(v.group(1));
                continue;
            }
            Matcher m = MINOR.matcher(line);
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                minors.put(n, new Minor(n, m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)));
            }
        }
        return new ProcDrbd(major, minors);
    }

    /** Whether this is DRBD 8.x's file, the one that lists each minor's state. */
    public boolean drbd8() {
        return majorVersion == 8;
    }

    /** A configured minor's line; empty when the file does not list it (unconfigured, or another resource's). */
    public Optional<Minor> minor(int minor) {
        return Optional.ofNullable(minors.get(minor));
    }
}
