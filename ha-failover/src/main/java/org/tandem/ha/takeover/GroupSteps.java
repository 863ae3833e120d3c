package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.TcpConnection;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The groups' starts and releases as the cluster node runs them: each group's state here, the start or release
 * under way on the steps thread (one at a time per group; the planner asking again meanwhile changes nothing),
 * the wait after a failed start ({@link StartBackoff}), the last takeover for the status, and who waits for the
 * groups to settle (a switchover, a leave). Every method runs on the cluster thread; so does each step's completion.
 */
final class GroupSteps {
    /** The node's logger: these lines were the node's and read as such. */
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);
    /** How long a switchover waits for its group to be released here. */
    private static final long RELEASE_WAIT_SECONDS = 60;

    private final List<ResourceGroup> groups;
    private final GroupLifecycle lifecycle;
    private final FencingStep fencing;
    private final ScheduledExecutorService cluster;
    private final Executor steps;
    private final NodeLoop node;
    private final Map<String, GroupState> here = new LinkedHashMap<>();
    private final Set<String> busy = new HashSet<>();
    /** Who waits for groups' steps to settle (a switchover, a leave): each says when it is done. */
    private final List<BooleanSupplier> waiting = new ArrayList<>();
    private final StartBackoff backoff = new StartBackoff();
    private ClusterStatus.Takeover last;

    GroupSteps(List<ResourceGroup> groups, GroupLifecycle lifecycle, FencingStep fencing,
               ScheduledExecutorService cluster, Executor steps, NodeLoop node) {
        this.groups = groups;
        this.lifecycle = lifecycle;
        this.fencing = fencing;
        this.cluster = cluster;
        this.steps = steps;
        this.node = node;
        groups.forEach(g -> here.put(g.name(), GroupState.OFFLINE));
    }

    /** Each group's state here, in haresources' order; a read-only view that follows the steps. */
    Map<String, GroupState> states() {
        return Collections.unmodifiableMap(here);
    }

    GroupState state(String group) {
        return here.get(group);
    }

    /** The last start or release that finished, with its steps (and the fencing it followed), or null. */
    ClusterStatus.Takeover last() {
        return last;
    }

    /** The group of that name; an IllegalArgumentException if haresources has none. */
    ResourceGroup group(String name) {
        for (ResourceGroup g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no group " + name);
    }

    /** Whether a start the planner wants may run now, or must wait after failed starts ({@link StartBackoff}). */
    boolean mayStart(String group, ClusterView view, long now) {
        StartBackoff.Situation situation = StartBackoff.Situation.of(view, group);
        if (backoff.changedSinceFailure(group, situation)) {
            LOG.info("cluster: group {}: the peer, fencing, the ping nodes or the peer's part in the group changed"
                    + " since its start failed; trying again now", group);
        }
        return backoff.allows(group, now, situation);
    }

    /**
     * Starts the group unless a step of it is under way. {@code peerFenced}: it is taken over from a fenced peer
     * (the fencing counts in the takeover's time); {@code peerConnections}: the initiators' connections the peer
     * had, tickled once the addresses are up.
     */
    void start(String name, String reason, boolean peerFenced, List<TcpConnection> peerConnections) {
        run(name, true, reason, peerFenced, peerConnections);
    }

    /** Releases the group unless a step of it is under way. */
    void release(String name, String reason) {
        run(name, false, reason, false, List.of());
    }

    private void run(String name, boolean start, String reason, boolean peerFenced, List<TcpConnection> tickle) {
        if (!busy.add(name)) {
            return;
        }
        ResourceGroup g = group(name);
        here.put(name, start ? GroupState.STARTING : GroupState.RELEASING);
        LOG.info("cluster: {} group {} ({})", start ? "starting" : "releasing", name, reason);
        boolean fenced = start && peerFenced;
        StepTiming fenceStep = fenced ? fencing.last() : null;
        Instant at = Instant.now();
        node.sendHeartbeat();
        steps.execute(() -> {
            long t0 = System.nanoTime();
            GroupLifecycle.Outcome o = start ? lifecycle.start(g, tickle, fenced) : lifecycle.release(g);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            cluster.execute(() -> finished(name, start, reason, at, fenceStep, o, ms));
        });
    }

    /** On the cluster thread, after the group's steps ran on the steps thread. */
    private void finished(String name, boolean start, String reason, Instant at, StepTiming fenceStep,
                          GroupLifecycle.Outcome o, long ms) {
        busy.remove(name);
        here.put(name, o.state());
        waiting.removeIf(BooleanSupplier::getAsBoolean);
        List<StepTiming> all = new ArrayList<>();
        if (fenceStep != null) {
            all.add(fenceStep);
        }
        all.addAll(o.steps());
        last = new ClusterStatus.Takeover(name, start ? "start" : "release", reason, at.toString(),
                ms + (fenceStep == null ? 0 : fenceStep.millis()), List.copyOf(all));
        List<String> steps = o.steps().stream()
                .map(s -> s.step() + " " + s.millis() + " ms" + (s.ok() ? "" : " FAILED")).toList();
        if (start && o.state() == GroupState.OFFLINE) {
            // Undone: the planner would start it again at once, and fail again; wait, longer each time.
            Duration wait = backoff.failed(name, System.nanoTime(), StartBackoff.Situation.of(node.view(), name));
            LOG.warn("cluster: group {} did not start (failure {} in a row, {} ms: {}); retrying in {} s, or"
                    + " as soon as the peer, fencing or the ping nodes change", name, backoff.failures(name),
                    ms, steps, wait.toSeconds());
            cluster.schedule(node::evaluate, wait.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            if (start && o.state() == GroupState.SERVING) {
                backoff.succeeded(name);
            }
            LOG.info("cluster: group {} {} in {} ms: {}", name, o.state(), ms, steps);
        }
        node.sendHeartbeat();
        node.evaluate();
        node.publishStatus();
    }

    /** Completes {@code done} when the group is released here, or fails it if the release fails or takes 60 s. */
    void whenReleased(String name, CompletableFuture<Void> done) {
        BooleanSupplier released = () -> {
            GroupState s = here.get(name);
            if (s == GroupState.OFFLINE) {
                done.complete(null);
            } else if (s == GroupState.FAILED) {
                done.completeExceptionally(new IllegalStateException("group " + name + " did not release: " + s));
            }
            return done.isDone();
        };
        if (!released.getAsBoolean()) {
            waiting.add(released);
            cluster.schedule(() -> {
                done.completeExceptionally(new IllegalStateException("group " + name + " did not release: "
                        + here.get(name)));
            }, RELEASE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** Completes {@code done} when no group is held here (every one OFFLINE); unbounded: the caller bounds it. */
    void whenAllOffline(CompletableFuture<Void> done) {
        BooleanSupplier allOffline = () -> {
            if (here.values().stream().allMatch(s -> s == GroupState.OFFLINE)) {
                done.complete(null);
            }
            return done.isDone();
        };
        if (!allOffline.getAsBoolean()) {
            waiting.add(allOffline);
        }
    }
}
