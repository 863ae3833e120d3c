package org.tandem.ha.membership;

import org.tandem.ha.heartbeat.HeartbeatPacket;

/** Something the cluster should act on or log, once, when it happens. */
public sealed interface MembershipEvent {
    /** A heartbeat link carries valid packets again (or for the first time). */
    record LinkUp(int link) implements MembershipEvent {
    }

    /** A link carried no valid packet for deadtime. */
    record LinkDown(int link, long silentMillis) implements MembershipEvent {
    }

    /** The peer has been silent for warntime on every link. */
    record PeerLate(long silentMillis) implements MembershipEvent {
    }

    /** The peer was heard from: first contact, after being late or dead, or a new run of its daemon. */
    record PeerAlive(HeartbeatPacket packet, boolean restarted) implements MembershipEvent {
    }

    /** No valid packet from the peer on any link for deadtime (initdead before first contact). */
    record PeerDead(long silentMillis, boolean neverSeen) implements MembershipEvent {
    }
}
