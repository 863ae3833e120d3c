package org.tandem.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address as IET's access files gave it to getaddrinfo with AI_NUMERICHOST, never a host name: IPv4 in
 * inet_aton's forms, as glibc reads them (one to four parts; a part with a leading 0 is octal, with 0x hex; the last
 * part fills the bytes that remain, so {@code 10.1} is 10.0.0.1), or an IPv6 literal.
 */
final class NumericHost {
    private static final Pattern IPV4_PART = Pattern.compile("0[xX][0-9A-Fa-f]*|0[0-7]*|[1-9][0-9]*");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z_.-]+)?");

    private NumericHost() {
    }

    /** The address, or empty when the text is not a numeric address (IET then took it for a name pattern). */
    static Optional<InetAddress> parse(String text) {
        byte[] v4 = ipv4(text);
        if (v4 != null) {
            try {
                return Optional.of(InetAddress.getByAddress(v4));
            } catch (UnknownHostException e) {
                return Optional.empty(); // four bytes are always an address
            }
        }
        if (!IPV6.matcher(text).matches()) {
            return Optional.empty(); // anything else would be looked up as a host name
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // has a ':': a literal, never looked up
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether the text is the plain dotted-decimal form, which every reader takes the same way. */
    static boolean plainIpv4(String text, InetAddress a) {
        return a.getAddress().length == 4 && a.getHostAddress().equals(text);
    }

    private static byte[] ipv4(String text) {
        if (text.isEmpty() || text.endsWith(".")) {
            return null;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (!IPV4_PART.matcher(p).matches() || p.length() > 12) {
                return null;
            }
            if (p.startsWith("0x") || p.startsWith("0X")) {
                values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16); // glibc takes a bare 0x as 0
            } else if (p.length() > 1 && p.startsWith("0")) {
                values[i] = Long.parseLong(p.substring(1), 8);
            } else {
                values[i] = Long.parseLong(p);
            }
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 0xff) {
                return null;
            }
            address |= values[i] << (24 - 8 * i);
        }
        long last = values[values.length - 1];
        int lastBits = 32 - 8 * (values.length - 1);
        if (last >= 1L << lastBits) {
            return null;
        }
        address |= last;
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }
}
