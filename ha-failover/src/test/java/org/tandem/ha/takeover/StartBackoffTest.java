package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.tandem.ha.heartbeat.HeartbeatPacket.GroupStatus;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership.PeerStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Retrying a failed start: 1 s doubling to 30 s, forgotten on success or when the cluster changes. No clock. */
class StartBackoffTest {
    private static final long S = 1_000_000_000L;
    private static final StartBackoff.Situation ALONE = new StartBackoff.Situation(false, true,
            PingStatus.NONE_CONFIGURED, 0, null);

    @Test
    void theWaitDoublesFromOneSecondToThirtyAndOnlyThenMayTheGroupStartAgain() {
        StartBackoff b = new StartBackoff();
        long now = 1_000 * S;
        assertThat(b.allows("db", now, ALONE)).as("never failed").isTrue();
        long[] waits = {1, 2, 4, 8, 16, 30, 30};
        for (int i = 0; i < waits.length; i++) {
            Duration wait = b.failed("db", now, ALONE);
            assertThat(wait).as("failure " + (i + 1)).isEqualTo(Duration.ofSeconds(waits[i]));
            assertThat(b.failures("db")).isEqualTo(i + 1);
            assertThat(b.allows("db", now, ALONE)).isFalse();
            assertThat(b.allows("db", now + waits[i] * S - 1, ALONE)).isFalse();
            assertThat(b.allows("web", now, ALONE)).as("other groups are not held").isTrue();
            now += waits[i] * S;
            assertThat(b.allows("db", now, ALONE)).isTrue();
        }
        b.succeeded("db");
        assertThat(b.failures("db")).isZero();
        assertThat(b.failed("db", now, ALONE)).as("after a success the wait starts over").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aChangeInWhatTheStartDependsOnAllowsATryAtOnce() {
        StartBackoff.Situation[] changes = {
                new StartBackoff.Situation(true, true, PingStatus.NONE_CONFIGURED, 0, null),
                new StartBackoff.Situation(false, false, PingStatus.NONE_CONFIGURED, 0, null),
                new StartBackoff.Situation(false, true, PingStatus.REACHABLE, 0, null),
                new StartBackoff.Situation(false, true, PingStatus.NONE_CONFIGURED, 7, null),
                new StartBackoff.Situation(false, true, PingStatus.NONE_CONFIGURED, 0, GroupStatus.RELEASING)};
        for (StartBackoff.Situation changed : changes) {
            StartBackoff b = new StartBackoff();
            long now = 5 * S;
            for (int i = 0; i < 4; i++) {
                now += b.failed("db", now, ALONE).toNanos();
            }
            b.failed("db", now, ALONE);
            assertThat(b.allows("db", now, ALONE)).isFalse();
            assertThat(b.changedSinceFailure("db", changed)).as(changed.toString()).isTrue();
            assertThat(b.allows("db", now, changed)).as(changed.toString()).isTrue();
            assertThat(b.failures("db")).as("forgotten").isZero();
            assertThat(b.failed("db", now, changed)).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void aLatePeerCountsAsAliveSoItsLateHeartbeatsChangeNothing() {
        ClusterView late = new ClusterView("s1", NodeState.ACTIVE, PingStatus.REACHABLE, PeerStatus.LATE, null, false,
                false, Map.of(), Set.of(), List.of(), true);
        ClusterView alive = new ClusterView("s1", NodeState.ACTIVE, PingStatus.REACHABLE, PeerStatus.ALIVE, null,
                false, false, Map.of(), Set.of(), List.of(), true);
        assertThat(StartBackoff.Situation.of(late, "db")).isEqualTo(StartBackoff.Situation.of(alive, "db"));
    }
}
