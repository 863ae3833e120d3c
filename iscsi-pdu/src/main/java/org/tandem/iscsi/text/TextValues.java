package org.tandem.iscsi.text;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The one reader and writer of numerical and binary text values (RFC 7143 section 6.1, the same grammar as RFC
 * 3720 section 5.1). What it accepts:
 * <ul>
 *   <li><b>numerical-value</b>: an unsigned integer below 2^64, written as a decimal-constant ("0", or a digit
 *       1-9 followed by digits: no sign, no leading zero, no spaces) or a hex-constant ("0x"/"0X" and one or
 *       more hex digits of either case; leading zeros allowed). A base64-constant is not a numerical-value.</li>
 *   <li><b>binary-value</b> (CHAP_C, CHAP_R): a hex-constant, whose n digits make (n+1)/2 bytes (an odd count
 *       has an implicit leading zero digit), or a base64-constant ("0b"/"0B" and RFC 4648 base64 with the
 *       standard alphabet): at most two trailing '=' and only at the end, padding optional but when present the
 *       characters come in groups of four, never 4k+1 characters without padding, and the unused bits of the last
 *       character zero. n characters without padding make n*3/4 bytes. A decimal-constant encodes a binary
 *       value only for a key that defines the value's length; no key Tandem reads does, so it is refused.</li>
 * </ul>
 * Lengths: a binary value is at most the caller's byte limit, which is {@link #MAX_SIMPLE_VALUE_BYTES} unless
 * the key says otherwise (CHAP: 1024 bytes, RFC 7143 section 12.1.3). Every method is pure and thread-safe;
 * nothing here throws for bad input: the answer is a {@link Decoded.Invalid} with the reason.
 */
public final class TextValues {
    /** RFC 7143 section 6.1: unless a key says otherwise, a simple-value is at most 255 bytes, not as encoded. */
    public static final int MAX_SIMPLE_VALUE_BYTES = 255;
    /** 2^64 - 1 takes 20 decimal digits and 16 hex digits. */
    private static final int MAX_DECIMAL_DIGITS = 20;
    private static final int MAX_HEX_DIGITS = 16;
    private static final String BASE64_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private TextValues() {
    }

    /**
     * Reads a numerical-value.
     *
     * @return the value as an unsigned {@code long} (2^63 and above are negative as Java longs) with its encoding,
     *         or why the text is not one: empty, not decimal or hex, a leading zero in decimal, 2^64 or more
     */
    public static Decoded<Long> numericalValue(String text) {
        if (text.isEmpty()) {
            return invalid("empty value where a numerical-value belongs");
        }
        if (prefixed(text, 'x', 'X')) {
            return hexNumber(text);
        }
        if (prefixed(text, 'b', 'B')) {
            return invalid("base64-constant '" + TextParameters.abbreviate(text)
                    + "' where a numerical-value belongs (decimal or 0x hex only)");
        }
        return decimalNumber(text);
    }

    /**
     * Reads a numerical-value and checks it lies in {@code min..max}, both inclusive.
     *
     * @param min the least value allowed, at least 0
     * @param max the greatest value allowed, at least {@code min}
     * @return as {@link #numericalValue(String)}, and invalid when the value lies outside the range
     */
    public static Decoded<Long> numericalValue(String text, long min, long max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("range " + min + " to " + max);
        }
        Decoded<Long> d = numericalValue(text);
        if (d instanceof Decoded.Invalid<Long>) {
            return d;
        }
        long v = d.orElseThrow();
        if (Long.compareUnsigned(v, min) < 0 || Long.compareUnsigned(v, max) > 0) {
            String value = Long.toUnsignedString(v);
            if (((Decoded.Value<Long>) d).encoding() != ValueEncoding.DECIMAL_CONSTANT) {
                value = "'" + TextParameters.abbreviate(text) + "' (" + value + ")";
            }
            return invalid(value + " is out of range " + min + " to " + max);
        }
        return d;
    }

    /**
     * Reads a binary-value written as a hex-constant or base64-constant.
     *
     * @param maxBytes the most bytes the key allows ({@link #MAX_SIMPLE_VALUE_BYTES} unless the key says
     *                 otherwise), at least 1
     * @return the bytes (at least one) with their encoding, or why the text is not such a value: empty, no
     *         digits, a character outside the alphabet, bad base64 padding or length, longer than {@code maxBytes}
     */
    public static Decoded<byte[]> binaryValue(String text, int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes " + maxBytes);
        }
        if (text.isEmpty()) {
            return invalid("empty value where a binary-value belongs");
        }
        if (prefixed(text, 'x', 'X')) {
            return hexBytes(text, maxBytes);
        }
        if (prefixed(text, 'b', 'B')) {
            return base64Bytes(text, maxBytes);
        }
        if (decimalNumber(text) instanceof Decoded.Value<Long>) {
            return invalid("decimal-constant '" + TextParameters.abbreviate(text)
                    + "' where a binary-value of implicit length belongs (0x hex or 0b base64 only)");
        }
        return invalid("'" + TextParameters.abbreviate(text) + "' is not a hex-constant (0x) or base64-constant (0b)");
    }

    /** An unsigned value as a decimal-constant, the form Tandem answers numerical values in. */
    public static String decimalConstant(long unsignedValue) {
        return Long.toUnsignedString(unsignedValue);
    }

    /** Bytes as a hex-constant: "0x" and two lower-case digits a byte. */
    public static String hexConstant(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    /** Bytes as a base64-constant: "0b" and padded RFC 4648 base64. */
    public static String base64Constant(byte[] bytes) {
        return "0b" + Base64.getEncoder().encodeToString(bytes);
    }

    private static boolean prefixed(String text, char lower, char upper) {
        return text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == lower || text.charAt(1) == upper);
    }

    private static Decoded<Long> decimalNumber(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return invalid("'" + TextParameters.abbreviate(text) + "' is not a decimal-constant or hex-constant");
            }
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            return invalid("decimal-constant '" + TextParameters.abbreviate(text) + "' has a leading zero");
        }
        if (text.length() > MAX_DECIMAL_DIGITS || text.length() == MAX_DECIMAL_DIGITS
                && text.compareTo(Long.toUnsignedString(-1L)) > 0) {
            return tooLarge(text);
        }
        return new Decoded.Value<>(Long.parseUnsignedLong(text), ValueEncoding.DECIMAL_CONSTANT);
    }

    private static Decoded<Long> hexNumber(String text) {
        String digits = text.substring(2);
        if (!hexDigits(digits)) {
            return notHex(text);
        }
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
        }
        String significant = digits.substring(first);
        if (significant.length() > MAX_HEX_DIGITS) {
            return tooLarge(text);
        }
        return new Decoded.Value<>(Long.parseUnsignedLong(significant, 16), ValueEncoding.HEX_CONSTANT);
    }

    /** One or more of 0-9, a-f, A-F (not Character.digit, which takes other scripts' digits too). */
    private static boolean hexDigits(String digits) {
        if (digits.isEmpty()) {
            return false;
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    private static <T> Decoded<T> notHex(String text) {
        return invalid(text.length() == 2 ? "hex-constant '" + text + "' has no digits"
                : "hex-constant '" + TextParameters.abbreviate(text) + "' has a character that is not a hex digit");
    }

    private static Decoded<byte[]> hexBytes(String text, int maxBytes) {
        String digits = text.substring(2);
        if (!hexDigits(digits)) {
            return notHex(text);
        }
        if ((digits.length() + 1L) / 2 > maxBytes) {
            return tooLong(text, maxBytes);
        }
        if ((digits.length() & 1) == 1) {
            digits = "0" + digits; // the implicit leading zero of an odd digit count
        }
        return new Decoded.Value<>(HexFormat.of().parseHex(digits), ValueEncoding.HEX_CONSTANT);
    }

    private static Decoded<byte[]> base64Bytes(String text, int maxBytes) {
        String body = text.substring(2);
        int end = body.length();
        while (end > 0 && body.charAt(end - 1) == '=') {
            end--;
        }
        int padding = body.length() - end;
        String data = body.substring(0, end);
        String quoted = TextParameters.abbreviate(text);
        if (data.isEmpty()) {
            return invalid("base64-constant '" + quoted + "' has no digits");
        }
        for (int i = 0; i < data.length(); i++) {
            if (BASE64_ALPHABET.indexOf(data.charAt(i)) < 0) {
                return invalid("base64-constant '" + quoted + "' has "
                        + (data.charAt(i) == '=' ? "'=' before its end" : "a character outside the base64 alphabet"));
            }
        }
        if (padding > 2 || padding > 0 && body.length() % 4 != 0) {
            return invalid("base64-constant '" + quoted + "' has bad padding: " + padding + " '=' after "
                    + data.length() + " digits");
        }
        int rest = data.length() % 4;
        if (rest == 1) {
            return invalid("base64-constant '" + quoted + "' has 4k+1 digits, which no byte string encodes to");
        }
        int unusedBitsMask = rest == 2 ? 0x0f : rest == 3 ? 0x03 : 0;
        if ((BASE64_ALPHABET.indexOf(data.charAt(data.length() - 1)) & unusedBitsMask) != 0) {
            return invalid("base64-constant '" + quoted + "' has non-zero bits after its last byte");
        }
        if (data.length() * 3L / 4 > maxBytes) {
            return tooLong(text, maxBytes);
        }
        return new Decoded.Value<>(Base64.getDecoder().decode(data), ValueEncoding.BASE64_CONSTANT);
    }

    private static <T> Decoded<T> tooLarge(String text) {
        return invalid("'" + TextParameters.abbreviate(text) + "' is 2^64 or more; a numerical-value is less");
    }

    private static <T> Decoded<T> tooLong(String text, int maxBytes) {
        return invalid("binary-value '" + TextParameters.abbreviate(text) + "' is longer than " + maxBytes + " bytes");
    }

    private static <T> Decoded<T> invalid(String reason) {
        return new Decoded.Invalid<>(reason);
    }
}
