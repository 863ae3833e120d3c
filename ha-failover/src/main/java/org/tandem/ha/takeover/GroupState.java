package org.tandem.ha.takeover;

/** This node's part in a resource group. */
public enum GroupState {
    /** Not held: nothing of it runs here. */
    OFFLINE,
    /** Its start steps are running. */
    STARTING,
    /** Held and served. */
    SERVING,
    /** Its release steps are running. */
    RELEASING,
    /** A start or release step failed; held as far as safety goes (the peer must fence before taking it). */
    FAILED;

    /** Whether anything of the group may be active here (storage written, address up). */
    public boolean mayHold() {
        return this != OFFLINE;
    }
}
