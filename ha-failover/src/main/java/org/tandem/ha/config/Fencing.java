package org.tandem.ha.config;

import java.util.List;

/**
 * How a node makes sure its peer is dead before taking over: a command run with the peer's node name (as
 * Heartbeat runs an external STONITH plugin), or, only when the operator says so, none.
 *
 * @param command the program and its arguments; the peer's name is appended; empty for none
 */
public record Fencing(List<String> command) {
    public static Fencing none() {
        return new Fencing(List.of());
    }

    public boolean configured() {
        return !command.isEmpty();
    }
}
