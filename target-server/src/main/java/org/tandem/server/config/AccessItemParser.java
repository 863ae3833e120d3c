package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An access-file item from its text: ALL, an IPv4 address as inet_aton reads it, a bracketed IPv6 address, either
 * with a /PREFIX, or else an initiator-name pattern (a POSIX basic regular expression).
 */
final class AccessItemParser {
    /** AccessRules' logger: the log lines name the class that read the file, as they did before the split. */
    private static final Logger LOG = LogManager.getLogger(AccessRules.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?");

    private AccessItemParser() {
    }

    /**
     * Reads one item (already stripped), as IET's __match() did; {@code n} is its line, for the messages.
     *
     * @throws ConfigException when the item is a malformed address, prefix or pattern
     */
    static AccessItem parse(Path file, int n, String item) throws ConfigException {
        if (item.equals("ALL")) {
            return new AccessItem.Everyone();
        }
        // As IET's __match(): [ADDRESS] or ADDRESS, then /PREFIX; what getaddrinfo(AI_NUMERICHOST) reads is an
        // address (never looked up as a host name), anything else a name pattern.
        boolean bracketed = item.startsWith("[");
        String address = item;
        String prefixText = null;
        if (bracketed) {
            int close = item.indexOf(']');
            if (close < 0) {
                throw new ConfigException(file, n, "unclosed '[' in IPv6 address '" + item
                        + "': write [ADDRESS] or [ADDRESS]/PREFIX");
            }
            address = item.substring(1, close);
            String rest = item.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith("/")) {
                throw new ConfigException(file, n, "expected [ADDRESS] or [ADDRESS]/PREFIX, got '" + item + "'");
            }
            prefixText = rest.isEmpty() ? null : rest.substring(1);
        } else {
            int slash = item.indexOf('/');
            if (slash > 0) {
                address = item.substring(0, slash);
                prefixText = item.substring(slash + 1);
            }
        }
        Optional<InetAddress> numeric = NumericHost.parse(address);
        if (numeric.isEmpty()) {
            if (bracketed || IPV4.matcher(item).matches()) {
                // never looked up as a host name: IET's getaddrinfo(AI_NUMERICHOST) did not either
                throw new ConfigException(file, n, "expected an address, CIDR range, name pattern or ALL, got '"
                        + item + "'");
            }
            try {
                PosixBasicRegex.Translation name = PosixBasicRegex.translate(item);
                for (String note : name.notes()) {
                    LOG.warn("{}:{}: in the initiator-name pattern '{}': {}", file, n, item, note);
                }
                return new AccessItem.NamePattern(name.pattern());
            } catch (PatternSyntaxException e) {
                throw new ConfigException(file, n, "bad initiator-name pattern '" + item + "': " + e.getDescription()
                        + " (write a POSIX basic regular expression, as IET did, such as"
                        + " iqn\\.1993-08\\.org\\.debian:.*)");
            }
        }
        InetAddress a = numeric.get();
        if (a.getAddress().length == 4 && !NumericHost.plainIpv4(address, a)) {
            LOG.warn("{}:{}: '{}' is read as {}, as IET read it (inet_aton: a leading 0 is octal, 0x hex, missing"
                    + " parts are zero); write {} to say so plainly", file, n, address, a.getHostAddress(),
                    a.getHostAddress());
        }
        byte[] bytes = a.getAddress();
        int bits = bytes.length * 8;
        int prefix = bits;
        if (prefixText != null) {
            if (!prefixText.matches("[1-9][0-9]{0,2}|0")) {
                throw new ConfigException(file, n, "prefix '/" + prefixText + "' of '" + item + "' is not a decimal"
                        + " number of bits (IET read a leading 0 as octal): write e.g. /24");
            }
            prefix = Integer.parseInt(prefixText);
            if (prefix > bits) {
                throw new ConfigException(file, n, "prefix /" + prefix + " too long for '" + item
                        + "': at most /32 for IPv4, /128 for IPv6");
            }
        }
        return new AccessItem.AddressRange(bytes, prefix);
    }
}
