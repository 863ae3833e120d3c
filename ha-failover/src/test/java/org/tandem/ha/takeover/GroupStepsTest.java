package org.tandem.ha.takeover;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.heartbeat.HeartbeatPacket.PingStatus;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership.PeerStatus;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.ha.takeover.NodeTestSupport.await;

/**
 * A group's start and release as the node runs them: on the steps thread, one at a time per group, the group's
 * state here before, during and after, the peer told at once, a failed start retried only after its wait, and the
 * futures of those who wait for the groups to settle (a switchover, a leave).
 */
class GroupStepsTest {
    private static final ResourceGroup DB = new ResourceGroup("db", "s1", List.of("r0"), List.of("iqn.2026-11.x:db"),
            List.of());
    private static final ResourceGroup WEB = new ResourceGroup("web", "s2", List.of("r1"),
            List.of("iqn.2026-11.x:web"), List.of());

    private final ScheduledExecutorService cluster = NodeExecutors.single("test-cluster", Thread.NORM_PRIORITY);
    private final ScheduledExecutorService steps = NodeExecutors.single("test-steps", Thread.NORM_PRIORITY);
    private final GroupLifecycleTest.Recording resources = new GroupLifecycleTest.Recording();
    private final RecordingLoop loop = new RecordingLoop();
    private final FencingStep fencing = NodeTestSupport.fencingNone(cluster, steps);
    private final GroupSteps groups = new GroupSteps(List.of(DB, WEB), new GroupLifecycle(resources), fencing, cluster,
            steps, loop);

    @AfterEach
    void close() {
        cluster.shutdownNow();
        steps.shutdownNow();
    }

    private <T> T onCluster(Callable<T> c) throws Exception {
        return cluster.submit(c).get(5, TimeUnit.SECONDS);
    }

    private void onCluster(Runnable r) throws Exception {
        cluster.submit(r).get(5, TimeUnit.SECONDS);
    }

    private GroupState state(String group) {
        try {
            return onCluster(() -> groups.state(group));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Holds the steps thread until the returned latch is counted down. */
    private CountDownLatch holdSteps() {
        CountDownLatch go = new CountDownLatch(1);
        steps.execute(() -> {
            try {
                go.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return go;
    }

    private static ClusterView view(PeerStatus peer) {
        return new ClusterView("s1", NodeState.ACTIVE, PingStatus.NONE_CONFIGURED, peer, null, false, false,
                Map.of("db", GroupState.OFFLINE, "web", GroupState.OFFLINE), Set.of(), List.of(DB, WEB), true);
    }

    @Test
    void everyGroupIsOfflineHereAtFirst() throws Exception {
        assertThat(onCluster(groups::states)).containsExactly(Map.entry("db", GroupState.OFFLINE),
                Map.entry("web", GroupState.OFFLINE));
        assertThat(onCluster(groups::last)).isNull();
        assertThatThrownBy(() -> groups.group("mail")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no group mail");
    }

    @Test
    void aStartRunsOnTheStepsThreadWhileThePeerIsToldTheGroupIsStarting() throws Exception {
        CountDownLatch go = holdSteps();
        onCluster(() -> groups.start("db", "free, and this node is its choice", false, List.of()));

        assertThat(state("db")).isEqualTo(GroupState.STARTING);
        assertThat(loop.calls).as("the peer hears of the start at once").containsExactly("heartbeat");
        assertThat(resources.calls).as("nothing ran on the cluster thread").isEmpty();

        go.countDown();
        await("db serving", () -> state("db") == GroupState.SERVING);
        assertThat(resources.calls).containsExactly("promote r0", "online [iqn.2026-11.x:db]");
        await("the completion told", () -> loop.calls.size() == 4);
        assertThat(loop.calls).containsExactly("heartbeat", "heartbeat", "evaluate", "status");
        ClusterStatus.Takeover last = onCluster(groups::last);
        assertThat(last.group()).isEqualTo("db");
        assertThat(last.action()).isEqualTo("start");
        assertThat(last.reason()).isEqualTo("free, and this node is its choice");
        assertThat(last.steps()).extracting(StepTiming::step).containsExactly("promote DRBD r0",
                "targets online [iqn.2026-11.x:db]");
    }

    @Test
    void aGroupWhoseStepsAreUnderWayIsNotRunAgain() throws Exception {
        CountDownLatch go = holdSteps();
        onCluster(() -> {
            groups.start("db", "first", false, List.of());
            groups.start("db", "the planner asks again at the next tick", false, List.of());
            groups.release("db", "and changes its mind");
        });
        go.countDown();

        await("db serving", () -> state("db") == GroupState.SERVING);
        onCluster(() -> { });
        assertThat(resources.calls).containsExactly("promote r0", "online [iqn.2026-11.x:db]");
    }

    @Test
    void aTakeoverFromAFencedPeerPromotesAsSuchAndCountsTheFencing() throws Exception {
        onCluster(() -> fencing.start("peer dead"));
        await("fenced", () -> {
            try {
                return onCluster(() -> fencing.last() != null);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        onCluster(() -> groups.start("db", "the peer is dead and fenced", true, List.of()));

        await("db serving", () -> state("db") == GroupState.SERVING);
        assertThat(resources.calls).containsExactly("promote r0 (peer fenced)", "online [iqn.2026-11.x:db]");
        assertThat(onCluster(groups::last).steps()).extracting(StepTiming::step).containsExactly("fence s2",
                "promote DRBD r0", "targets online [iqn.2026-11.x:db]");
    }

    @Test
    void aFailedStartIsUndoneAndTriedAgainOnlyAfterItsWaitOrAChange() throws Exception {
        loop.view = view(PeerStatus.DEAD);
        resources.failing.add("online [iqn.2026-11.x:db]");
        onCluster(() -> groups.start("db", "free", false, List.of()));

        await("db undone", () -> state("db") == GroupState.OFFLINE && loop.count("status") == 1);
        assertThat(resources.calls).containsExactly("promote r0", "online [iqn.2026-11.x:db]", "demote r0");
        long now = System.nanoTime();
        assertThat(onCluster(() -> groups.mayStart("db", view(PeerStatus.DEAD), now))).as("within the wait")
                .isFalse();
        assertThat(onCluster(() -> groups.mayStart("web", view(PeerStatus.DEAD), now))).isTrue();
        assertThat(onCluster(() -> groups.mayStart("db", view(PeerStatus.ALIVE), now)))
                .as("the peer came back: worth a try at once").isTrue();

        await("decided again when the wait (1 s) is over", () -> loop.count("evaluate") == 2);
    }

    @Test
    void whenReleasedCompletesOnceTheGroupIsOfflineHere() throws Exception {
        onCluster(() -> groups.start("db", "free", false, List.of()));
        await("db serving", () -> state("db") == GroupState.SERVING);
        CompletableFuture<Void> released = new CompletableFuture<>();
        onCluster(() -> {
            groups.release("db", "declined here (switchover)");
            groups.whenReleased("db", released);
        });

        released.get(5, TimeUnit.SECONDS);
        assertThat(state("db")).isEqualTo(GroupState.OFFLINE);

        CompletableFuture<Void> already = new CompletableFuture<>();
        onCluster(() -> groups.whenReleased("db", already));
        assertThat(already).as("offline already").isCompleted();
    }

    @Test
    void whenReleasedFailsIfTheReleaseFails() throws Exception {
        onCluster(() -> groups.start("db", "free", false, List.of()));
        await("db serving", () -> state("db") == GroupState.SERVING);
        resources.failing.add("demote r0");
        CompletableFuture<Void> released = new CompletableFuture<>();
        onCluster(() -> {
            groups.release("db", "declined here (switchover)");
            groups.whenReleased("db", released);
        });

        assertThatThrownBy(() -> released.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).cause()
                .hasMessage("group db did not release: FAILED");
    }

    @Test
    void whenAllOfflineWaitsForTheLastGroupHeldHere() throws Exception {
        CompletableFuture<Void> none = new CompletableFuture<>();
        onCluster(() -> groups.whenAllOffline(none));
        assertThat(none).as("nothing held").isCompleted();

        onCluster(() -> {
            groups.start("db", "free", false, List.of());
            groups.start("web", "free", false, List.of());
        });
        await("both serving", () -> state("db") == GroupState.SERVING && state("web") == GroupState.SERVING);
        CompletableFuture<Void> left = new CompletableFuture<>();
        CountDownLatch go = holdSteps();
        onCluster(() -> {
            groups.release("db", "leaving");
            groups.release("web", "leaving");
            groups.whenAllOffline(left);
        });
        assertThat(left).isNotDone();
        go.countDown();

        left.get(5, TimeUnit.SECONDS);
        assertThat(onCluster(groups::states)).containsOnly(Map.entry("db", GroupState.OFFLINE),
                Map.entry("web", GroupState.OFFLINE));
    }
}
