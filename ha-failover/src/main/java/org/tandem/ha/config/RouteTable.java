package org.tandem.ha.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This node's routes as {@code ip route show} prints them, to find where a floating address written without an
 * interface or prefix belongs, as Heartbeat's findif did: the most specific route that contains the address, its
 * device and its prefix. The default route never answers (it contains every address and says nothing about the
 * link), nor do routes through a gateway ({@code via}): an address added there would not be on the initiators'
 * link, and its gratuitous ARPs would reach nobody. Typed routes without a device (blackhole, unreachable,
 * prohibit, throw) and multipath nexthop lines are skipped.
 */
public final class RouteTable {
    /** A directly attached network: {@code 192.0.2.0/24 dev eth0}. */
    public record Route(InetAddress network, int prefix, String dev) {
        boolean contains(InetAddress a) {
            byte[] n = network.getAddress();
            byte[] x = a.getAddress();
            if (n.length != x.length) {
                return false;
            }
            int bits = n.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, n).and(mask).equals(new BigInteger(1, x).and(mask));
        }
    }

    private static final List<String> TYPES_WITHOUT_LINK = List.of("blackhole", "unreachable", "prohibit", "throw",
            "local", "broadcast", "anycast", "multicast", "nat");

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public static RouteTable empty() {
        return new RouteTable(List.of());
    }

    /** Reads the text of {@code ip route show} (and {@code ip -6 route show}); lines it cannot use are skipped. */
    public static RouteTable parse(String text) {
        List<Route> routes = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue; // a nexthop of a multipath route
            }
            List<String> w = List.of(line.strip().split("\\s+"));
            int at = 0;
            if (w.get(0).equals("unicast")) {
                at = 1;
            } else if (TYPES_WITHOUT_LINK.contains(w.get(0))) {
                continue;
            }
            if (at >= w.size() || w.get(at).equals("default") || w.contains("via")) {
                continue;
            }
            int dev = w.indexOf("dev");
            if (dev < 0 || dev + 1 >= w.size()) {
                continue;
            }
            Optional<Route> r = route(w.get(at), w.get(dev + 1));
            r.ifPresent(routes::add);
        }
        return new RouteTable(routes);
    }

    private static Optional<Route> route(String destination, String dev) {
        String[] parts = destination.split("/");
        if (!parts[0].matches("[0-9.]+|[0-9A-Fa-f:]+")) {
            return Optional.empty();
        }
        try {
            InetAddress network = InetAddress.getByName(parts[0]);
            int bits = network.getAddress().length * 8;
            int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
            if (prefix < 1 || prefix > bits) {
                return Optional.empty(); // a /0 is a default route written out
            }
            return Optional.of(new Route(network, prefix, dev));
        } catch (UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The most specific route containing the address; with {@code dev} not empty, only routes on that device.
     * Equally specific routes on two devices are ambiguous; the first listed wins.
     */
    public Optional<Route> find(InetAddress address, String dev) {
        Route best = null;
        for (Route r : routes) {
            if (r.contains(address) && (dev.isEmpty() || r.dev().equals(dev))
                    && (best == null || r.prefix() > best.prefix())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    public List<Route> routes() {
        return routes;
    }
}
