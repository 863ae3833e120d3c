package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;

/**
 * Numbers as IET wrote them: decimal, 0x hexadecimal, or with a leading 0 octal (IET read values with strtol(..., 0)
 * and the kernel's match_int, which take a leading 0 as octal: {@code 010} is 8; said in a warning), 64-bit where
 * sizes need it (a nullio LUN of 2.3 TiB has more than 2^32 blocks). The LUN number is the exception: IET read it
 * in base 10. A number that does not parse or lies outside its range is refused with the allowed form and range,
 * so the message says what to write.
 */
final class IetdNumber {
    private static final Logger LOG = LogManager.getLogger(IetdConfParser.class);

    private IetdNumber() {
    }

    static long parse(Path file, int line, String what, String value, long min, long max) throws ConfigException {
        return parse(file, line, what, value, min, max, true);
    }

    static int parseInt(Path file, int line, String what, String value, int min, int max) throws ConfigException {
        return (int) parse(file, line, what, value, min, max, true);
    }

    /** The LUN number of a Lun line, which IET read in base 10 (strtol(q, &q, 10)): {@code Lun 010} is LUN 10. */
    static int parseLunNumber(Path file, int line, String value, int max) throws ConfigException {
        return (int) parse(file, line, "LUN number", value, 0, max, false);
    }

    private static long parse(Path file, int line, String what, String value, long min, long max, boolean octal)
            throws ConfigException {
        long v;
        boolean inOctal = octal && value.length() > 1 && value.startsWith("0") && Character.isDigit(value.charAt(1));
        try {
            if (value.length() > 2 && (value.startsWith("0x") || value.startsWith("0X"))
                    && (value.charAt(2) == '+' || value.charAt(2) == '-')) {
                throw new NumberFormatException(value); // IET's strtol stops at the sign and reads 0
            }
            v = value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                    : inOctal ? Long.parseLong(value.substring(1), 8) : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(file, line, "expected " + what + " as a decimal or 0x hexadecimal number from "
                    + min + " to " + max + ", got '" + value + "'" + (inOctal ? " (IET read a number with a leading"
                    + " 0 as octal, whose digits are 0 to 7)" : ""));
        }
        if (v < min || v > max) {
            throw new ConfigException(file, line, what + " " + value + (inOctal ? " (octal, as IET read it: " + v
                    + ")" : "") + " out of range: write a number from " + min + " to " + max);
        }
        if (inOctal) {
            LOG.warn("{}:{}: {} {} is read as octal, {}, as IET read it (a leading 0 means octal there); write {}"
                    + " to say so plainly", file, line, what, value, v, v);
        }
        return v;
    }
}
