package org.tandem.ha.takeover;

import org.tandem.ha.heartbeat.HeartbeatPacket;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * When a group whose start failed (and was undone) may be started again: 1 s after the first failure, the wait
 * doubling with each further failure up to 30 s, so a step that keeps failing (drbdadm refusing to promote, or
 * missing) is neither hammered nor allowed to flood the log. A success forgets the failures. So does any change in
 * what the start depends on ({@link Situation}): the peer dying, returning, restarting or being fenced, this
 * node's ping nodes changing, or the peer changing its part in the group; then the next try is at once. Times are
 * {@link System#nanoTime()} values, passed in, so tests need no clock.
 */
final class StartBackoff {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration LONGEST = Duration.ofSeconds(30);

    /**
     * What a start's chance depends on beyond this node's own resources, as seen when it failed. Late counts as
     * alive: a peer whose heartbeats arrive late now and then changes nothing worth a retry.
     */
    record Situation(boolean peerAlive, boolean peerFenced, HeartbeatPacket.PingStatus selfPing,
                     long peerGeneration, HeartbeatPacket.GroupStatus peerPart) {
        static Situation of(ClusterView v, String group) {
            return new Situation(v.peerAlive(), v.peerFenced(), v.selfPing(),
                    v.peerPacket() == null ? 0 : v.peerPacket().generation(), v.peerGroup(group));
        }
    }

    /** A group's failed starts in a row, when the next may run, and the situation they failed in. */
    record Failures(int count, long retryAt, Situation situation) {
    }

    private final Map<String, Failures> failures = new HashMap<>();

    /** Records a failed start of {@code group} at {@code now}; returns how long until the next try. */
    Duration failed(String group, long now, Situation situation) {
        Failures before = failures.get(group);
        int count = before == null ? 1 : before.count() + 1;
        Duration wait = FIRST.multipliedBy(1L << Math.min(count - 1, 5));
        if (wait.compareTo(LONGEST) > 0) {
            wait = LONGEST;
        }
        failures.put(group, new Failures(count, now + wait.toNanos(), situation));
        return wait;
    }

    /** The failed starts of {@code group} in a row (0 after a success or a change). */
    int failures(String group) {
        Failures f = failures.get(group);
        return f == null ? 0 : f.count();
    }

    /**
     * Whether {@code group} may be started at {@code now} in {@code situation}: always, unless it failed and its
     * wait is not over and nothing it depends on changed. A change forgets the failures (the next failure waits
     * {@link #FIRST} again).
     */
    boolean allows(String group, long now, Situation situation) {
        Failures f = failures.get(group);
        if (f == null) {
            return true;
        }
        if (!f.situation().equals(situation)) {
            failures.remove(group);
            return true;
        }
        return now - f.retryAt() >= 0;
    }

    /** Whether {@code group} failed to start in another situation than {@code situation} (a retry may succeed). */
    boolean changedSinceFailure(String group, Situation situation) {
        Failures f = failures.get(group);
        return f != null && !f.situation().equals(situation);
    }

    /** The group started: its failures are forgotten. */
    void succeeded(String group) {
        failures.remove(group);
    }
}
