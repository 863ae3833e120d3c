package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.CapturedLog;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership.PeerStatus;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A group the planner holds offline is logged when the hold begins or its reason changes, and when it ends. */
class HoldLogTest {
    private final HoldLog log = new HoldLog(new PingMonitor(List.of(), 100));

    @Test
    void aHoldIsToldOnceHoweverOftenThePlannerRepeatsIt() {
        try (CapturedLog captured = new CapturedLog()) {
            for (int tick = 0; tick < 3; tick++) {
                log.holds(Map.of("db", "peer may still hold it"), PeerStatus.DEAD, NodeState.ACTIVE);
            }
            log.holds(Map.of("db", "fencing failed"), PeerStatus.DEAD, NodeState.ACTIVE);
            log.holds(Map.of("db", "fencing failed"), PeerStatus.DEAD, NodeState.ACTIVE);
            log.holds(Map.of(), PeerStatus.ALIVE, NodeState.ACTIVE);
            log.holds(Map.of(), PeerStatus.ALIVE, NodeState.ACTIVE);

            assertThat(captured.lines().stream().filter(l -> l.contains("OFFLINE:") || l.contains("held back")))
                    .containsExactly(
                    "WARN cluster: group db stays OFFLINE: peer may still hold it (ping nodes [])",
                    "WARN cluster: group db stays OFFLINE: fencing failed (ping nodes [])",
                    "INFO cluster: group db no longer held back (ping NONE_CONFIGURED, peer ALIVE, node ACTIVE)");
        }
    }
}
