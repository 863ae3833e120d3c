package org.tandem.ha.takeover;

/** What the planner decides; the controller carries it out, one step at a time, and reports back. */
public sealed interface Action {
    /** Run the fencing command against the peer before taking anything over from it. */
    record FencePeer(String reason) implements Action {
    }

    /** Start a group here: promote, online, addresses up. */
    record Start(String group, String reason) implements Action {
    }

    /** Release a group here: addresses down, sessions ended, offline, demote. */
    record Release(String group, String reason) implements Action {
    }

    /**
     * Leave a group offline here for a reason the operator cannot see otherwise (the controller logs when a hold
     * begins and when it ends, not at every decision).
     */
    record Hold(String group, String reason) implements Action {
    }
}
