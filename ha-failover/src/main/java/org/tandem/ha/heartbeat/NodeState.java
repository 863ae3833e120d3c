package org.tandem.ha.heartbeat;

/** What a node says of itself in each heartbeat. */
public enum NodeState {
    /** Started, within initdead: it takes over nothing yet. */
    STARTING(1),
    /** Running and able to hold resources. */
    ACTIVE(2),
    /** Shutting down or handing its groups over: the peer should take them. */
    LEAVING(3);

    private final int code;

    NodeState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The state with this code, or null. */
    public static NodeState of(int code) {
        for (NodeState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
