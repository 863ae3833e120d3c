package org.tandem.ha.drbd;

/**
 * A resource's state as DRBD reports it: the local role and disk state, and the peer's role and disk state as
 * far as known ("Unknown" when disconnected).
 */
public record DrbdStatus(String resource, String role, String diskState, String peerRole, String peerDiskState,
                         String connectionState) {
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
}
