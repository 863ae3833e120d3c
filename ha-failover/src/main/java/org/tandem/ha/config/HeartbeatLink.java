package org.tandem.ha.config;

/** One path heartbeats travel: ha.cf's ucast, mcast and bcast lines. */
public sealed interface HeartbeatLink {
    /** The interface the link uses (for logs, and to bind multicast and broadcast). */
    String iface();

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
