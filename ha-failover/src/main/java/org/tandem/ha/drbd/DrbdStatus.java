package org.tandem.ha.drbd;

import java.util.Set;

/**
 * A resource's state as DRBD reports it: the local role and disk state, and the peer's role and disk state as
 * far as known ("Unknown" when disconnected).
 */
public record DrbdStatus(String resource, String role, String diskState, String peerRole, String peerDiskState,
                         String connectionState) {
    /**
     * Connection states (8.x cstate, 9 connection-state) in which DRBD has no connection to the peer: waiting for
     * one, configured without one, or on the way down after losing it. Anything else (Connected, the sync and
     * verify states, Disconnecting, a state this list does not know) may still hold the peer as connected.
     */
    private static final Set<String> WITHOUT_PEER = Set.of("StandAlone", "Unconnected", "WFConnection", "Connecting",
            "Timeout", "BrokenPipe", "NetworkFailure", "ProtocolError", "TearDown");

    public boolean primary() {
        return "Primary".equals(role);
    }

    /** Safe to promote and serve: our disk holds the newest data. */
    public boolean upToDate() {
        return "UpToDate".equals(diskState);
    }

    public boolean peerPrimary() {
        return "Primary".equals(peerRole);
    }

    /**
     * Whether DRBD still counts the peer as connected. After the peer's power went off, DRBD goes on doing so until
     * ping-int + ping-timeout have passed, and refuses a second Primary meanwhile.
     */
    public boolean connectedToPeer() {
        return !WITHOUT_PEER.contains(connectionState);
    }
}
