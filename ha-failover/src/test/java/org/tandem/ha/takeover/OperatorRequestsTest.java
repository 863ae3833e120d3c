package org.tandem.ha.takeover;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership.PeerStatus;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.ha.takeover.NodeTestSupport.await;

/**
 * The requests from outside the cluster thread: a switchover (this node declines a group it serves, and the
 * caller learns when it is released here), a leave (every group released, waited for within a bound), and a look at
 * the groups' states on the cluster thread. A switchover the node cannot honour fails at once and says why.
 */
class OperatorRequestsTest {
    private static final ResourceGroup DB = new ResourceGroup("db", "s1", List.of("r0"), List.of("iqn.2026-11.x:db"),
            List.of());

    private final ScheduledExecutorService cluster = NodeExecutors.single("test-cluster", Thread.NORM_PRIORITY);
    private final ScheduledExecutorService steps = NodeExecutors.single("test-steps", Thread.NORM_PRIORITY);
    private final GroupLifecycleTest.Recording resources = new GroupLifecycleTest.Recording();
    private final RecordingLoop loop = new RecordingLoop();
    /** No fencing here: no group is taken over from a fenced peer in these tests. */
    private final GroupSteps groups = new GroupSteps(List.of(DB), new GroupLifecycle(resources), null, cluster, steps,
            loop);
    private final OperatorRequests requests = new OperatorRequests("s1", "s2", cluster, groups, loop);

    @AfterEach
    void close() {
        cluster.shutdownNow();
        steps.shutdownNow();
    }

    /** db served here; the peer alive and active. */
    @BeforeEach
    void serveDb() throws Exception {
        seen(PeerStatus.ALIVE, NodeState.ACTIVE);
        cluster.submit(() -> groups.start("db", "free, and this node is its choice", false, List.of()))
                .get(5, TimeUnit.SECONDS);
        await("db served and settled", () -> loop.count("status") == 1);
        loop.calls.clear();
    }

    /** The node's view: the peer as membership sees it ({@code peer}), in the state its newest packet says. */
    private void seen(PeerStatus peer, NodeState peerState) {
        loop.view = new ClusterView("s1", NodeState.ACTIVE, PingStatus.NONE_CONFIGURED, peer,
                new HeartbeatPacket("s2", 1, 1, peerState, PingStatus.NONE_CONFIGURED, Map.of()), false, false,
                Map.of("db", GroupState.SERVING), Set.of(), List.of(DB), true);
    }

    /** Stands in for the planner: a group served here that is declined, or on a node that leaves, is released. */
    private void plannerReleasesDb() {
        loop.onEvaluate = () -> {
            if (groups.state("db") == GroupState.SERVING) {
                groups.release("db", "declined here");
            }
        };
    }

    private GroupState db() throws Exception {
        return cluster.submit(() -> groups.state("db")).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aSwitchoverDeclinesTheGroupAndCompletesOnceItIsReleasedHere() throws Exception {
        plannerReleasesDb();

        requests.switchover("db").get(5, TimeUnit.SECONDS);

        assertThat(db()).isEqualTo(GroupState.OFFLINE);
        assertThat(loop.calls).startsWith("decline db", "evaluate");
        assertThat(resources.calls).endsWith("offline [iqn.2026-11.x:db]", "demote r0");
    }

    @Test
    void aSwitchoverOfAGroupThatIsNotThereFails() {
        assertRefused(requests.switchover("mail"), IllegalArgumentException.class, "no group mail");
    }

    @Test
    void aNodeOutOfTheClusterRefusesASwitchover() {
        loop.view = null;
        assertRefused(requests.switchover("db"), IllegalStateException.class,
                "this node is not in the cluster (see its log)");
    }

    @Test
    void aSwitchoverNeedsAnActivePeerToTakeTheGroup() {
        seen(PeerStatus.DEAD, NodeState.ACTIVE);
        assertRefused(requests.switchover("db"), IllegalStateException.class,
                "peer s2 is not active (DEAD); a switchover needs it to take the group");
        seen(PeerStatus.ALIVE, NodeState.STARTING);
        assertRefused(requests.switchover("db"), IllegalStateException.class,
                "peer s2 is not active (ALIVE); a switchover needs it to take the group");
    }

    @Test
    void aSwitchoverRunsOnTheNodeThatServesTheGroup() throws Exception {
        plannerReleasesDb();
        cluster.submit(loop::evaluate).get(5, TimeUnit.SECONDS);
        await("db released", () -> loop.count("status") == 1);

        assertRefused(requests.switchover("db"), IllegalStateException.class,
                "group db is OFFLINE here, not SERVING; run the switchover on the node that serves it");
    }

    private void assertRefused(CompletableFuture<Void> f, Class<? extends Exception> type, String message) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(type).hasMessage(message);
        assertThat(loop.calls).as("nothing declined").noneMatch(c -> c.startsWith("decline"));
    }

    @Test
    void aLeavingNodeReleasesItsGroupsAndReturnsOnceNoneIsHeld() throws Exception {
        plannerReleasesDb();

        requests.leave(5_000);

        assertThat(db()).isEqualTo(GroupState.OFFLINE);
        assertThat(loop.calls).startsWith("leaving", "evaluate", "heartbeat");
    }

    @Test
    void aLeaveWaitsNoLongerThanItsBound() throws Exception {
        long start = System.nanoTime();
        requests.leave(200);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(200L, 4_000L);
        assertThat(db()).as("the planner did not release it").isEqualTo(GroupState.SERVING);
    }

    @Test
    void theGroupStatesAreActedOnOnTheClusterThread() {
        AtomicReference<String> seen = new AtomicReference<>();
        requests.withGroupStates(states -> seen.set(Thread.currentThread().getName() + " " + states));
        assertThat(seen.get()).isEqualTo("test-cluster {db=SERVING}");

        cluster.shutdownNow();
        requests.withGroupStates(states -> seen.set("after the node stopped"));
        assertThat(seen.get()).as("a stopped node consults nothing, and says so only in debug").isEqualTo(
                "test-cluster {db=SERVING}");
    }
}
