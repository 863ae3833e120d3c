package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.fencing.Fencer;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fencing the peer (STONITH) for the cluster node: after this node's fence delay ({@code fence_delay}), unless the
 * peer speaks meanwhile, the fencing command runs on the steps thread; a failure is retried with a wait that doubles
 * up to 10 s. The delay is a task scheduled on the cluster thread and cancelled when the peer speaks or the node
 * closes, not a wait that holds the steps thread. Every method runs on the cluster thread; so do the callbacks.
 */
final class FencingStep {
    /** The node's logger: these lines were the node's and read as such. */
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);
    /** After a failed fencing, the first wait before the next try; it doubles with each failure up to the longest. */
    private static final long FENCE_RETRY_MILLIS = 1000;
    private static final long FENCE_RETRY_LONGEST_MILLIS = 10_000;

    /** What the node does with an outcome; called on the cluster thread. */
    interface Outcomes {
        /** The peer's power is confirmed off. */
        void fenced();

        /** Decide again: a failed fencing's wait is over. */
        void evaluate();
    }

    private final String peer;
    private final long delayMillis;
    private final Fencer fencer;
    private final ScheduledExecutorService cluster;
    private final Executor steps;
    private final Outcomes node;
    private boolean fencing;
    /** Failed fencings in a row, and the System.nanoTime() before which the next may not run. */
    private int failures;
    private long retryAt;
    private StepTiming last;
    /** The end of the fence delay under way, or null. */
    private volatile ScheduledFuture<?> delay;

    FencingStep(String peer, long delayMillis, Fencer fencer, ScheduledExecutorService cluster, Executor steps,
                Outcomes node) {
        this.peer = peer;
        this.delayMillis = delayMillis;
        this.fencer = fencer;
        this.cluster = cluster;
        this.steps = steps;
        this.node = node;
    }

    /** Whether a fencing is under way (its delay or its command). */
    boolean running() {
        return fencing;
    }

    /** Whether the planner's FencePeer may start one now: not before the wait after a failure is over. */
    boolean mayStart(long nowNanos) {
        return failures == 0 || nowNanos - retryAt >= 0;
    }

    /** The last fencing's step, for the takeover it led to. */
    StepTiming last() {
        return last;
    }

    /** The peer is alive again: it is not fenced, and a later death starts with no failures counted. */
    void peerAlive() {
        failures = 0;
    }

    void start(String reason) {
        fencing = true;
        LOG.warn("cluster: fencing {} ({}){}", peer, reason, delayMillis > 0 ? " after a delay of " + delayMillis
                + " ms" : "");
        if (delayMillis == 0) {
            steps.execute(this::fenceNow);
            return;
        }
        // The delay lets the node with none fence first in a split brain; if the peer speaks meanwhile, stop.
        delay = cluster.schedule(() -> {
            delay = null;
            steps.execute(this::fenceNow);
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** A valid heartbeat from the peer: a fence delay under way ends without fencing. */
    void peerSpoke() {
        ScheduledFuture<?> d = delay;
        if (d != null && d.cancel(false)) {
            delay = null;
            fencing = false;
            LOG.info("cluster: {} spoke again during the fence delay; not fencing", peer);
        }
    }

    /** The node is closing: a peer that is not fenced is not taken over either, so leave it be. */
    void close() {
        ScheduledFuture<?> d = delay;
        if (d != null && d.cancel(false)) {
            delay = null;
            LOG.info("cluster: closing during the fence delay; not fencing {}", peer);
        }
    }

    /** On the steps thread. */
    private void fenceNow() {
        Fencer.Outcome o = fencer.fence(peer);
        cluster.execute(() -> {
            fencing = false;
            last = new StepTiming("fence " + peer, o.millis(), o.fenced(), o.detail());
            if (o.fenced()) {
                failures = 0;
                node.fenced();
            } else {
                // Retried, since nothing may be taken over unfenced; but not at every tick: a power switch that is
                // down would be hammered and the log flooded.
                long wait = Math.min(FENCE_RETRY_MILLIS << Math.min(failures, 10), FENCE_RETRY_LONGEST_MILLIS);
                failures++;
                retryAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                LOG.warn("cluster: fencing {} failed ({} in a row); retrying in {} ms", peer, failures, wait);
                cluster.schedule(node::evaluate, wait, TimeUnit.MILLISECONDS);
            }
        });
    }
}
