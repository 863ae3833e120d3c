package org.tandem.ha.config;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** One path heartbeats travel: ha.cf's ucast, mcast and bcast lines. */
public sealed interface HeartbeatLink {
    /** IFNAMSIZ (16) less the terminating NUL: the longest Linux interface name, in bytes. */
    int MAX_INTERFACE_NAME = 15;

    /** The interface the link uses (for logs, and to bind multicast and broadcast). */
    String iface();

    /**
     * Why {@code name} cannot be a Linux interface, or empty if it can. The kernel's dev_valid_name refuses an
     * empty name, one of 16 bytes or more, "." and "..", and '/', ':' or white space anywhere; Tandem also refuses
     * ',' because ha.cf separates names with it (the kernel would allow it, but no Heartbeat user can mean it).
     */
    static Optional<String> invalidInterfaceName(String name) {
        if (name.isEmpty()) {
            return Optional.of("an interface name cannot be empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_NAME) {
            return Optional.of("'" + name + "' is longer than a Linux interface name can be (" + MAX_INTERFACE_NAME
                    + " bytes)");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("'" + name + "' cannot be an interface name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ',') {
                return Optional.of("'" + name + "' cannot be an interface name: it holds a comma");
            }
            if (c == ':') {
                return Optional.of("'" + name + "' cannot be an interface name: ':' marks an address label"
                        + " (eth0:1), not an interface; name the interface itself");
            }
            if (c == '/' || Character.isWhitespace(c)) {
                return Optional.of("'" + name + "' cannot be an interface name: it holds '" + c + "'");
            }
        }
        return Optional.empty();
    }

    /** {@code ucast IFACE PEER}: unicast to the peer's address. */
    record Unicast(String iface, String peer) implements HeartbeatLink {
        @Override
        public String toString() {
            return "ucast " + iface + " " + peer;
        }
    }

    /** {@code mcast IFACE GROUP PORT TTL LOOP}. */
    record Multicast(String iface, String group, int port, int ttl, boolean loop) implements HeartbeatLink {
        @Override
        public String toString() {
            return "mcast " + iface + " " + group + " " + port + " " + ttl + " " + (loop ? 1 : 0);
        }
    }

    /** {@code bcast IFACE}: broadcast on the interface's subnet. */
    record Broadcast(String iface) implements HeartbeatLink {
        @Override
        public String toString() {
            return "bcast " + iface;
        }
    }
}
