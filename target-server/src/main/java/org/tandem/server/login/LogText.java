package org.tandem.server.login;

import java.util.List;
import java.util.Map;

/**
 * Login text made fit for one log line. Names and values come from the wire: an initiator could put line breaks,
 * bidirectional overrides or zero-width characters in them to forge or hide log lines.
 */
final class LogText {
    /** Code points of wire text shown in a log line at most. */
    static final int MAX_SHOWN = 300;

    private LogText() {
    }

    /** {@code s} with controls and invisible formatting shown as '?', cut at {@link #MAX_SHOWN} code points. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SHOWN));
        s.codePoints().limit(MAX_SHOWN).forEach(c -> b.appendCodePoint(hidden(c) ? '?' : c));
        return s.codePointCount(0, s.length()) > MAX_SHOWN ? b + "..." : b.toString();
    }

    /** Characters that change or hide what a log line shows: controls, formatting, line and paragraph breaks. */
    static boolean hidden(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** The keys of an answer: values over 24 characters (CHAP's) shortened, as they say nothing to a reader. */
    static String keys(List<Map.Entry<String, String>> keys) {
        if (keys.isEmpty()) {
            return "no keys";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : keys) {
            String v = e.getValue();
            b.append(b.isEmpty() ? "" : " ").append(e.getKey()).append('=')
                    .append(v.length() > 24 ? v.substring(0, 20) + "..." : v);
        }
        return b.toString();
    }
}
