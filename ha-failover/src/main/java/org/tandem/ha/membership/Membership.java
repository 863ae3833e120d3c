package org.tandem.ha.membership;

import org.tandem.ha.config.HaConfig;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.ReplayGuard;

import java.util.ArrayList;
import java.util.List;

/**
 * Liveness of the peer and of each link, from verified packets and the passage of time. A link is down after
 * deadtime without a valid packet on it; the peer is late after warntime and dead after deadtime without a valid
 * packet on any link; before the first packet, it is dead only after initdead (the network settling at boot).
 * Not thread-safe: one heartbeat thread drives it. Times are {@link System#nanoTime()} values.
 */
public final class Membership {
    /** The peer as this node sees it. */
    public enum PeerStatus {
        UNKNOWN, ALIVE, LATE, DEAD
    }

    private final long warnNanos;
    private final long deadNanos;
    private final long initDeadNanos;
    private final long startNanos;
    private final long[] linkLastHeard;
    private final boolean[] linkUp;
    private long peerLastHeard;
    private boolean heard;
    private PeerStatus status = PeerStatus.UNKNOWN;
    private HeartbeatPacket last;

    public Membership(HaConfig config, int links, long nowNanos) {
        this.warnNanos = config.warntime().toNanos();
        this.deadNanos = config.deadtime().toNanos();
        this.initDeadNanos = config.initdead().toNanos();
        this.startNanos = nowNanos;
        this.linkLastHeard = new long[links];
        this.linkUp = new boolean[links];
    }

    /** A packet that passed signature and replay checks arrived on {@code link}. */
    public List<MembershipEvent> onPacket(int link, HeartbeatPacket p, ReplayGuard.Verdict verdict, long now) {
        List<MembershipEvent> events = new ArrayList<>();
        linkLastHeard[link] = now;
        if (!linkUp[link]) {
            linkUp[link] = true;
            events.add(new MembershipEvent.LinkUp(link));
        }
        if (verdict == ReplayGuard.Verdict.NEW) {
            boolean restarted = last != null && p.generation() != last.generation();
            peerLastHeard = now;
            heard = true;
            last = p;
            if (status != PeerStatus.ALIVE || restarted) {
                status = PeerStatus.ALIVE;
                events.add(new MembershipEvent.PeerAlive(p, restarted));
            }
        }
        return events;
    }

    /** Time passed: reports links that went down and the peer going late or dead, each once. */
    public List<MembershipEvent> tick(long now) {
        List<MembershipEvent> events = new ArrayList<>();
        for (int i = 0; i < linkUp.length; i++) {
            if (linkUp[i] && now - linkLastHeard[i] >= deadNanos) {
                linkUp[i] = false;
                events.add(new MembershipEvent.LinkDown(i, (now - linkLastHeard[i]) / 1_000_000));
            }
        }
        if (!heard) {
            if (status == PeerStatus.UNKNOWN && now - startNanos >= initDeadNanos) {
                status = PeerStatus.DEAD;
                events.add(new MembershipEvent.PeerDead((now - startNanos) / 1_000_000, true));
            }
            return events;
        }
        long silent = now - peerLastHeard;
        if (status != PeerStatus.DEAD && silent >= deadNanos) {
            status = PeerStatus.DEAD;
            events.add(new MembershipEvent.PeerDead(silent / 1_000_000, false));
        } else if (status == PeerStatus.ALIVE && silent >= warnNanos) {
            status = PeerStatus.LATE;
            events.add(new MembershipEvent.PeerLate(silent / 1_000_000));
        }
        return events;
    }

    public PeerStatus peer() {
        return status;
    }

    /** The newest packet from the peer, or null before the first. */
    public HeartbeatPacket lastPacket() {
        return last;
    }

    public boolean linkUp(int link) {
        return linkUp[link];
    }

    /** Milliseconds since a valid packet arrived on the link, or -1 if none ever did. */
    public long linkSilenceMillis(int link, long now) {
        return linkLastHeard[link] == 0 && !linkUp[link] ? -1 : (now - linkLastHeard[link]) / 1_000_000;
    }
}
