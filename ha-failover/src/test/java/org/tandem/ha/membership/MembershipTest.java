package org.tandem.ha.membership;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.NodeState;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.ha.heartbeat.ReplayGuard.Verdict.LINK_COPY;
import static org.tandem.ha.heartbeat.ReplayGuard.Verdict.NEW;

/** keepalive 200 ms, warntime 600 ms, deadtime 1 s, initdead 3 s: every edge decided on a fake clock. */
class MembershipTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 5_000 * MS;

    private static HaConfig config() throws Exception {
        return HaCfParser.parse(Path.of("ha.cf"), List.of("node a b", "keepalive 200ms", "warntime 600ms",
                "deadtime 1", "initdead 3", "ucast eth0 10.0.0.2", "ucast eth1 10.0.1.2", "fencing none"));
    }

    private static HeartbeatPacket from(long generation, long sequence) {
        return new HeartbeatPacket("b", generation, sequence, NodeState.ACTIVE,
                HeartbeatPacket.PingStatus.NONE_CONFIGURED, Map.of());
    }

    @Test
    void aPeerNeverHeardIsDeadOnlyAfterInitdead() throws Exception {
        Membership m = new Membership(config(), 2, T0);
        assertThat(m.tick(T0 + 2_999 * MS)).isEmpty();
        assertThat(m.peer()).isEqualTo(Membership.PeerStatus.UNKNOWN);
        assertThat(m.tick(T0 + 3_000 * MS)).containsExactly(new MembershipEvent.PeerDead(3_000, true));
        assertThat(m.tick(T0 + 4_000 * MS)).isEmpty();
    }

    @Test
    void latenessAndDeathCountFromTheLastPacketOnAnyLink() throws Exception {
        Membership m = new Membership(config(), 2, T0);
        HeartbeatPacket p1 = from(1, 1);
        assertThat(m.onPacket(0, p1, NEW, T0)).containsExactly(new MembershipEvent.LinkUp(0),
                new MembershipEvent.PeerAlive(p1, false));
        assertThat(m.onPacket(1, p1, LINK_COPY, T0 + MS)).containsExactly(new MembershipEvent.LinkUp(1));
        // Link 0 goes quiet; link 1 keeps the peer alive.
        for (long t = 200; t <= 1_200; t += 200) {
            assertThat(m.onPacket(1, from(1, 1 + t / 200), NEW, T0 + t * MS)).isEmpty();
        }
        assertThat(m.tick(T0 + 1_200 * MS)).containsExactly(new MembershipEvent.LinkDown(0, 1_200));
        assertThat(m.peer()).isEqualTo(Membership.PeerStatus.ALIVE);
        // Then everything goes quiet.
        assertThat(m.tick(T0 + 1_799 * MS)).isEmpty();
        assertThat(m.tick(T0 + 1_800 * MS)).containsExactly(new MembershipEvent.PeerLate(600));
        assertThat(m.tick(T0 + 2_199 * MS)).isEmpty();
        assertThat(m.tick(T0 + 2_200 * MS)).containsExactly(new MembershipEvent.LinkDown(1, 1_000),
                new MembershipEvent.PeerDead(1_000, false));
        assertThat(m.peer()).isEqualTo(Membership.PeerStatus.DEAD);
        assertThat(m.tick(T0 + 9_000 * MS)).isEmpty();
        // It comes back, restarted.
        HeartbeatPacket reborn = from(2, 1);
        assertThat(m.onPacket(1, reborn, NEW, T0 + 9_100 * MS)).containsExactly(new MembershipEvent.LinkUp(1),
                new MembershipEvent.PeerAlive(reborn, true));
    }

    @Test
    void aCopyOnASecondLinkDoesNotKeepADeadPeerAlive() throws Exception {
        Membership m = new Membership(config(), 2, T0);
        m.onPacket(0, from(1, 1), NEW, T0);
        m.onPacket(1, from(1, 1), LINK_COPY, T0 + 900 * MS);
        assertThat(m.tick(T0 + 1_000 * MS)).contains(new MembershipEvent.PeerDead(1_000, false));
    }
}
