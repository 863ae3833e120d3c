package org.tandem.server.config;

import java.net.InetAddress;
import java.util.regex.Pattern;

/**
 * One item of an access-file line, as IET's __match() reads it: ALL, an address range (an address is a range of one),
 * or an initiator-name pattern.
 */
sealed interface AccessItem permits AccessItem.Everyone, AccessItem.AddressRange, AccessItem.NamePattern {

    /** Whether the item matches an initiator, by address or name (either may be null: then only the other counts). */
    boolean matches(InetAddress address, String name);

    /** ALL, written exactly so (IET compared with strcmp). */
    record Everyone() implements AccessItem {
        @Override
        public boolean matches(InetAddress address, String name) {
            return true;
        }
    }

    /** IPv4 or IPv6 addresses whose first {@code prefix} bits are those of {@code network}. */
    record AddressRange(byte[] network, int prefix) implements AccessItem {
        @Override
        public boolean matches(InetAddress address, String name) {
            return address != null && contains(address);
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (b[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (b[full] & mask) == (network[full] & mask);
        }
    }

    /** A POSIX basic regular expression, translated, that must match the whole initiator name. */
    record NamePattern(Pattern pattern) implements AccessItem {
        @Override
        public boolean matches(InetAddress address, String name) {
            return name != null && pattern.matcher(name).matches();
        }
    }
}
