package org.tandem.ha.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An address as Heartbeat's IPaddr took it, {@code ADDRESS[/PREFIX[/IFACE[/BROADCAST]]]}, PREFIX as bits or a
 * dotted netmask. What is left out comes from this node's routes when the file is read, as Heartbeat's findif did
 * at start: the most specific directly attached route containing the address gives the interface and, unless
 * written, the prefix. The broadcast field is accepted and not used: iSCSI is unicast TCP, so the portal address's
 * broadcast address changes nothing.
 */
record AddressSpec(InetAddress address, OptionalInt prefix, String iface) {
    private static final Logger LOG = LogManager.getLogger(AddressSpec.class);
    private static final String NUMERIC = "[0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*";

    /** A word that Heartbeat would read as an address: digits and dots, or an IPv6 literal, then options. */
    static boolean looksLikeAddress(String word) {
        String first = word.split("/", 2)[0];
        return !first.isEmpty() && first.matches(NUMERIC) && first.chars().anyMatch(Character::isDigit);
    }

    static AddressSpec parse(Path file, int n, String kind, String value) throws HaConfigException {
        String form = kind + "::ADDRESS[/PREFIX[/IFACE]], e.g. " + kind + "::192.0.2.100/24/eth0";
        String[] parts = value.split("/", -1);
        if (value.isEmpty() || parts.length > 4) {
            throw new HaConfigException(file, n, "expected " + form + ", got '" + kind + "::" + value + "'");
        }
        InetAddress a = numeric(parts[0]).orElseThrow(() -> new HaConfigException(file, n, "'" + parts[0]
                + "' is not a numeric address; write " + form));
        int bits = a.getAddress().length * 8;
        OptionalInt prefix = OptionalInt.empty();
        if (parts.length > 1 && !parts[1].isEmpty()) {
            int p = prefixOf(parts[1], bits).orElseThrow(() -> new HaConfigException(file, n, "'" + parts[1]
                    + "' of " + value + " is neither a prefix length nor a netmask; write " + form));
            if (p < 1 || p > bits) {
                throw new HaConfigException(file, n, "prefix /" + p + " out of range 1-" + bits + "; write " + form);
            }
            prefix = OptionalInt.of(p);
        }
        String iface = parts.length > 2 ? parts[2] : "";
        int label = iface.indexOf(':');
        if (label > 0) {
            // an ifconfig alias label (eth0:0): ip takes it, but arping does not, and the takeover's gratuitous ARP
            // would not go out; the address goes on the device itself
            LOG.warn("{}:{}: interface {} is an alias label; Tandem adds {} to {} itself (ip needs no alias): write"
                    + " {}", file, n, iface, parts[0], iface.substring(0, label), iface.substring(0, label));
            iface = iface.substring(0, label);
        }
        if (parts.length > 3 && !parts[3].isEmpty() && numeric(parts[3]).isEmpty()) {
            throw new HaConfigException(file, n, "broadcast '" + parts[3] + "' of " + value + " is not an address;"
                    + " leave it out (Tandem does not need it)");
        }
        return new AddressSpec(a, prefix, iface);
    }

    /** The complete address, with what is missing taken from the routes; refused when no route has it. */
    ResourceGroup.FloatingAddress resolve(Path file, int n, RouteTable routes) throws HaConfigException {
        String text = address.getHostAddress();
        if (prefix.isPresent() && !iface.isEmpty()) {
            return hostAddress(file, n, new ResourceGroup.FloatingAddress(text, prefix.getAsInt(), iface));
        }
        RouteTable.Route r = routes.find(address, iface).orElseThrow(() -> new HaConfigException(file, n,
                "no route of this node contains " + text + (iface.isEmpty() ? "" : " on " + iface) + " (Heartbeat's"
                        + " findif rule: the most specific directly attached route other than the default), so its"
                        + " interface and prefix are unknown; write IPaddr::" + text + "/PREFIX/IFACE, e.g. IPaddr::"
                        + text + "/24/eth0"));
        ResourceGroup.FloatingAddress a = new ResourceGroup.FloatingAddress(text, prefix.orElse(r.prefix()), r.dev());
        LOG.info("{}:{}: address {} placed by this node's route {}/{} dev {}: {}", file, n, text,
                r.network().getHostAddress(), r.prefix(), r.dev(), a);
        return hostAddress(file, n, a);
    }

    /** Refuses an IPv4 address that is its subnet's network or broadcast address (prefixes up to /30). */
    private ResourceGroup.FloatingAddress hostAddress(Path file, int n, ResourceGroup.FloatingAddress a)
            throws HaConfigException {
        byte[] b = address.getAddress();
        if (b.length != 4 || a.prefix() > 30) {
            return a;
        }
        long v = ((b[0] & 0xffL) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        long host = v & ((1L << (32 - a.prefix())) - 1);
        if (host == 0 || host == (1L << (32 - a.prefix())) - 1) {
            throw new HaConfigException(file, n, a.address() + " is the " + (host == 0 ? "network" : "broadcast")
                    + " address of its /" + a.prefix() + " subnet (its first and last addresses, network and"
                    + " broadcast, belong to no host): check the address and the prefix");
        }
        return a;
    }

    private static Optional<InetAddress> numeric(String s) {
        if (!s.matches(NUMERIC)) {
            return Optional.empty(); // never a host name: no DNS lookup while reading the file
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Bits ({@code 24}) or, for IPv4, a contiguous dotted netmask ({@code 255.255.255.0}). */
    private static OptionalInt prefixOf(String s, int bits) {
        if (s.matches("[0-9]{1,3}")) {
            return OptionalInt.of(Integer.parseInt(s));
        }
        if (bits != 32 || !s.matches("[0-9]+(\\.[0-9]+){3}")) {
            return OptionalInt.empty();
        }
        long mask = 0;
        for (String octet : s.split("\\.")) {
            int o = Integer.parseInt(octet);
            if (o > 255) {
                return OptionalInt.empty();
            }
            mask = mask << 8 | o;
        }
        int ones = Long.bitCount(mask);
        long contiguous = ones == 0 ? 0 : (0xFFFFFFFFL << (32 - ones)) & 0xFFFFFFFFL;
        return mask == contiguous ? OptionalInt.of(ones) : OptionalInt.empty();
    }
}
