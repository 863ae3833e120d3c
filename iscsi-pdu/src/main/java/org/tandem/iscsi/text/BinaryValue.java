package org.tandem.iscsi.text;

import java.util.Base64;
import java.util.HexFormat;

/**
 * Binary values of text keys (RFC 7143 section 6.1): "0x" followed by hex digits or "0b" followed by base64.
 * CHAP challenges and responses use them.
 */
public final class BinaryValue {
    private BinaryValue() {
    }

    public static byte[] decode(String value) throws TextFormatException {
        try {
            if (value.length() > 2 && (value.startsWith("0x") || value.startsWith("0X"))) {
                String hex = value.substring(2);
                if ((hex.length() & 1) == 1) {
                    hex = "0" + hex;
                }
                return HexFormat.of().parseHex(hex);
            }
            if (value.length() > 2 && (value.startsWith("0b") || value.startsWith("0B"))) {
                return Base64.getDecoder().decode(value.substring(2));
            }
        } catch (IllegalArgumentException e) {
            throw new TextFormatException("malformed binary value: " + e.getMessage());
        }
        throw new TextFormatException("binary value must start with 0x or 0b");
    }

    public static String encodeHex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
