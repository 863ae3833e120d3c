package org.tandem.ha.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values after an ha.cf directive, read as Heartbeat's config.c reads them: how many there are, times, numbers,
 * booleans, interface and node names. Every error names the file and line and says what to write.
 */
final class HaCfValues {
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|us|usec|s)?", Pattern.CASE_INSENSITIVE);
    /** One RFC 1123 host name label: letters, digits and inner hyphens, at most 63 characters. */
    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final int MAX_HOST_NAME = 253;
    private static final BigDecimal MICROS_PER_MILLI = BigDecimal.valueOf(1000);
    /** A day: longer timings are typing mistakes, and would overflow once doubled (initdead's default). */
    private static final BigDecimal MAX_TIME_MICROS = BigDecimal.valueOf(86_400_000_000L);

    private final Path file;

    HaCfValues(Path file) {
        this.file = file;
    }

    /** An interface name as the kernel allows it ({@link HeartbeatLink#invalidInterfaceName}). */
    String iface(int n, String directive, String name) throws HaConfigException {
        Optional<String> why = HeartbeatLink.invalidInterfaceName(name);
        if (why.isPresent()) {
            throw new HaConfigException(file, n, directive + ": " + why.get() + "; write the interface's name as"
                    + " 'ip link' shows it (e.g. eth1)");
        }
        return name;
    }

    /** Node names are host names (uname -n), so they must be able to be one (RFC 1123). */
    void hostName(int n, String node) throws HaConfigException {
        boolean valid = node.length() <= MAX_HOST_NAME && !node.endsWith(".")
                && Arrays.stream(node.split("\\.", -1)).allMatch(l -> HOST_LABEL.matcher(l).matches());
        if (!valid) {
            throw new HaConfigException(file, n, "node '" + node + "' cannot be a host name (letters, digits and"
                    + " '-' in dot-separated labels of at most 63 characters): write each node's name as"
                    + " 'uname -n' prints it, separated by spaces or commas");
        }
    }

    /** Heartbeat's cl_str_to_boolean: true, on, yes, y, 1 and false, off, no, n, 0, any case; null otherwise. */
    static Boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "off", "no", "n", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /**
     * Checks the number of values: from {@code min} to {@code max} ({@code -1}: no limit); {@code form} is what the
     * message says to write.
     */
    void need(int n, String directive, List<String> args, int min, int max, String form)
            throws HaConfigException {
        if (max == 1 && args.size() > 1) {
            throw new HaConfigException(file, n, directive + " takes one value, got " + args.size() + " " + args
                    + " (Heartbeat would keep only the last): write '" + form + "'");
        }
        if (args.size() < min || (max >= 0 && args.size() > max)) {
            throw new HaConfigException(file, n, "expected '" + form + "'");
        }
    }

    /** A time: seconds, or with ms, us or usec, from 1 ms to a day, or 0; rounded to milliseconds. */
    Duration time(int n, List<String> args, String what) throws HaConfigException {
        need(n, what, args, 1, 1, what + " TIME (seconds, or with ms: 500ms)");
        Matcher m = TIME.matcher(args.get(0));
        if (!m.matches()) {
            throw new HaConfigException(file, n, "expected a time for " + what + " (2, 1.5, 500ms), got '"
                    + args.get(0) + "'");
        }
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        BigDecimal micros = new BigDecimal(m.group(1)).movePointRight(switch (unit) {
            case "ms" -> 3;
            case "us", "usec" -> 0;
            default -> 6;
        });
        // Heartbeat rounds to milliseconds too, but a time that rounds to 0 would then fail elsewhere, far from here.
        if (micros.signum() > 0 && micros.compareTo(MICROS_PER_MILLI) < 0) {
            throw new HaConfigException(file, n, what + " " + args.get(0) + " is below 1 ms: Tandem's clocks count"
                    + " milliseconds; write at least 1ms");
        }
        if (micros.compareTo(MAX_TIME_MICROS) > 0) {
            throw new HaConfigException(file, n, what + " " + args.get(0) + " is more than a day: write at most 86400"
                    + " (seconds)");
        }
        return Duration.ofMillis(micros.movePointLeft(3).setScale(0, RoundingMode.HALF_UP).longValueExact());
    }

    /** A decimal integer from {@code min} to {@code max}; {@code what} names it in the message. */
    int number(int n, String value, String what, int min, int max) throws HaConfigException {
        try {
            int v = Integer.parseInt(value);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HaConfigException(file, n, "expected " + what + " from " + min + " to " + max + ", got '"
                    + value + "'");
        }
    }
}
