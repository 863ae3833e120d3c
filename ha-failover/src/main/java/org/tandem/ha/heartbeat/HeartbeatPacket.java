package org.tandem.ha.heartbeat;

import java.util.List;
import java.util.Map;

/**
 * One heartbeat: who sends it (node name, and the generation of this run of its daemon, so a restart is told from
 * a replay), its sequence number within the generation, its state, whether it reaches its ping nodes, and the
 * groups it holds now with their state, and the initiators' connections to its floating portals (the survivor
 * tickles them after a takeover). It also carries replicated state (records the peer must hold before a command
 * completes here, such as a LUN's persistent reservations) and acknowledgements of the peer's records.
 */
public record HeartbeatPacket(String node, long generation, long sequence, NodeState state, PingStatus ping,
                              Map<String, GroupStatus> groups, List<TcpConnection> connections,
                              List<StateRecord> records, List<StateAck> acks) {

    public HeartbeatPacket {
        groups = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(groups));
        connections = List.copyOf(connections);
        records = List.copyOf(records);
        acks = List.copyOf(acks);
    }

    /** A heartbeat without replicated state. */
    public HeartbeatPacket(String node, long generation, long sequence, NodeState state, PingStatus ping,
                           Map<String, GroupStatus> groups, List<TcpConnection> connections) {
        this(node, generation, sequence, state, ping, groups, connections, List.of(), List.of());
    }

    /** A heartbeat without connections. */
    public HeartbeatPacket(String node, long generation, long sequence, NodeState state, PingStatus ping,
                           Map<String, GroupStatus> groups) {
        this(node, generation, sequence, state, ping, groups, List.of());
    }

    /** A replicated record: its key, its version (rising per key), and its bytes. */
    public record StateRecord(String key, long version, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof StateRecord r && r.key.equals(key) && r.version == version
                    && java.util.Arrays.equals(r.payload, payload);
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Long.hashCode(version);
        }

        @Override
        public String toString() {
            return key + "@" + version + " (" + payload.length + " bytes)";
        }
    }

    /** The receiver holds this version (or a newer one) of the record with this key. */
    public record StateAck(String key, long version) {
    }

    /** Whether the sender reaches its tie-breaker ping nodes. */
    public enum PingStatus {
        NONE_CONFIGURED(0), REACHABLE(1), UNREACHABLE(2);

        private final int code;

        PingStatus(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static PingStatus of(int code) {
            for (PingStatus p : values()) {
                if (p.code == code) {
                    return p;
                }
            }
            return null;
        }
    }

    /**
     * A group as the sender sees its own part in it: starting it, serving it, releasing it, or declining it (it
     * handed the group over and will not take it while the peer lives: a switchover). Groups absent from the
     * packet are neither held nor declined.
     */
    public enum GroupStatus {
        STARTING(1), SERVING(2), RELEASING(3), DECLINED(4);

        private final int code;

        GroupStatus(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static GroupStatus of(int code) {
            for (GroupStatus g : values()) {
                if (g.code == code) {
                    return g;
                }
            }
            return null;
        }

        /** Whether the sender may be writing the group's storage or answering on its address. */
        public boolean holds() {
            return this != DECLINED;
        }
    }
}
