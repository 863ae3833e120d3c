package org.tandem.target.config;

import java.nio.file.Path;

/**
 * Numbers as IET wrote them: decimal or 0x hexadecimal, 64-bit where sizes need it (a nullio LUN of 2.3 TiB has
 * more than 2^32 blocks). A number that does not parse or lies outside its range is refused with the allowed form
 * and range, so the message says what to write.
 */
final class IetdNumber {
    private IetdNumber() {
    }

    static long parse(Path file, int line, String what, String value, long min, long max) throws ConfigException {
        long v;
        try {
            v = value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                    : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(file, line, "expected " + what + " as a decimal or 0x hexadecimal number from "
                    + min + " to " + max + ", got '" + value + "'");
        }
        if (v < min || v > max) {
            throw new ConfigException(file, line, what + " " + value + " out of range: write a number from "
                    + min + " to " + max);
        }
        return v;
    }

    static int parseInt(Path file, int line, String what, String value, int min, int max) throws ConfigException {
        return (int) parse(file, line, what, value, min, max);
    }
}
