package org.tandem.server.config;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What makes a target name an iSCSI name (RFC 7143 section 4.2.7, RFC 3722). IET took any word after
 * {@code Target}; Tandem accepts any name that can travel in a TargetName key, and tells apart the names that
 * follow the iqn./eui./naa. forms from those some initiators refuse.
 */
public final class IscsiName {
    /** RFC 7143 section 4.2.7: an iSCSI name is at most 223 bytes of UTF-8. */
    public static final int MAX_BYTES = 223;
    private static final Pattern STRICT = Pattern.compile("iqn\\.\\d{4}-(0[1-9]|1[0-2])\\."
            + "[a-z0-9]([-a-z0-9.:]|[^\\x00-\\x7f])*|eui\\.[0-9a-f]{16}|naa\\.[0-9a-f]{16}([0-9a-f]{16})?",
            Pattern.CASE_INSENSITIVE);

    private IscsiName() {
    }

    /**
     * Why this cannot be an iSCSI name at all, or null when it can. White space and control characters cannot be
     * sent in a text key; '=' and ',' would be read as key/value and list separators by initiators.
     */
    public static String impossible(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "it is " + bytes + " bytes long; an iSCSI name is at most " + MAX_BYTES + " bytes (RFC 7143 4.2.7)";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                return String.format("it contains the control or space character U+%04X", (int) c);
            }
            if (c == '=' || c == ',') {
                return "it contains '" + c + "', which initiators read as a separator";
            }
        }
        return null;
    }

    /** Whether the name has the iqn.YYYY-MM., eui. or naa. form that every initiator accepts. */
    public static boolean strict(String name) {
        return STRICT.matcher(name).matches();
    }

    /**
     * The form names are compared in: RFC 3722's stringprep profile folds case, so iqn.2026-11.org.Example:Disk
     * and iqn.2026-11.org.example:disk are one name (Microsoft's initiator sends names in lower case).
     */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
