package org.tandem.ha.config;

import java.util.Locale;

/**
 * Node names as Heartbeat compares them: host names, which ignore case. Heartbeat lowercases every node name it
 * reads (ha.cf's node lines, uname -n), so Tandem does the same wherever a name is read, and every later comparison,
 * and every heartbeat packet, uses that one spelling.
 */
public final class NodeName {
    private NodeName() {
    }

    /** The name as compared and sent: lowercase. */
    public static String of(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
