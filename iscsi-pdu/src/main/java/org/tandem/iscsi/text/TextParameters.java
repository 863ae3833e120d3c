package org.tandem.iscsi.text;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An ordered list of key=value pairs as carried by Login and Text PDUs (RFC 7143 section 6): UTF-8, each pair
 * terminated by a NUL. Order is kept because answers go back in the order keys were offered.
 */
public final class TextParameters {
    /** RFC 7143 section 6.1: a key name is at most 63 bytes. */
    public static final int MAX_KEY_LENGTH = 63;
    /** Binary values such as CHAP_C may be long; RFC 7143 section 6.1 caps any value at 8192 bytes. */
    public static final int MAX_VALUE_LENGTH = 8192;

    private final List<Map.Entry<String, String>> pairs;

    private TextParameters(List<Map.Entry<String, String>> pairs) {
        this.pairs = Collections.unmodifiableList(pairs);
    }

    public static TextParameters of(List<Map.Entry<String, String>> pairs) {
        return new TextParameters(new ArrayList<>(pairs));
    }

    public List<Map.Entry<String, String>> pairs() {
        return pairs;
    }

    /** The value of the first pair with this key, or null when the key is absent. */
    public String get(String key) {
        for (Map.Entry<String, String> e : pairs) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * Parses a text segment, not moving the reader index. A final pair without its NUL is accepted, as
     * several initiators omit it.
     */
    public static TextParameters parse(ByteBuf segment) throws TextFormatException {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        int i = segment.readerIndex();
        int end = segment.writerIndex();
        while (i < end) {
            int nul = segment.indexOf(i, end, (byte) 0);
            int pairEnd = nul < 0 ? end : nul;
            if (pairEnd > i) {
                String pair = segment.toString(i, pairEnd - i, StandardCharsets.UTF_8);
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new TextFormatException("text pair without key=value form: '" + abbreviate(pair) + "'");
                }
                String key = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                if (key.length() > MAX_KEY_LENGTH) {
                    throw new TextFormatException("key longer than 63 bytes: '" + abbreviate(key) + "'");
                }
                if (value.length() > MAX_VALUE_LENGTH) {
                    throw new TextFormatException("value of " + key + " longer than 8192 bytes");
                }
                pairs.add(Map.entry(key, value));
            }
            i = pairEnd + 1;
        }
        return new TextParameters(pairs);
    }

    /** Encodes the pairs, each followed by a NUL. */
    public ByteBuf encode() {
        ByteBuf out = Unpooled.buffer();
        for (Map.Entry<String, String> e : pairs) {
            out.writeCharSequence(e.getKey(), StandardCharsets.UTF_8);
            out.writeByte('=');
            out.writeCharSequence(e.getValue(), StandardCharsets.UTF_8);
            out.writeByte(0);
        }
        return out;
    }

    /** At most 40 characters for an error message, non-printable ones replaced: the text may be any bytes. */
    static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return s.length() > 40 ? b + "..." : b.toString();
    }

    @Override
    public String toString() {
        return pairs.toString();
    }
}
