package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.membership.Membership;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What is asked of the cluster node from outside its thread: the operator's switchover (Heartbeat's hb_standby, for
 * one group) and leave (the daemon stopping), and the target's look at the groups' states. Each request is handed
 * to the cluster thread, which checks it against the node's view and acts there; the caller gets a future, or
 * waits bounded.
 */
final class OperatorRequests {
    /** The node's logger: these lines were the node's and read as such. */
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);

    private final String self;
    private final String peer;
    private final ScheduledExecutorService cluster;
    private final GroupSteps groups;
    private final NodeLoop node;

    OperatorRequests(String self, String peer, ScheduledExecutorService cluster, GroupSteps groups, NodeLoop node) {
        this.self = self;
        this.peer = peer;
        this.cluster = cluster;
        this.groups = groups;
        this.node = node;
    }

    /** See {@link ClusterNode#switchover(String)}. */
    CompletableFuture<Void> switchover(String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        cluster.execute(() -> {
            try {
                groups.group(name);
            } catch (IllegalArgumentException e) {
                done.completeExceptionally(e);
                return;
            }
            ClusterView view = node.view();
            if (view == null) {
                done.completeExceptionally(new IllegalStateException("this node is not in the cluster (see its log)"));
                return;
            }
            if (view.peerStatus() != Membership.PeerStatus.ALIVE || view.peerState() != NodeState.ACTIVE) {
                done.completeExceptionally(new IllegalStateException("peer " + peer + " is not active ("
                        + view.peerStatus() + "); a switchover needs it to take the group"));
                return;
            }
            if (groups.state(name) != GroupState.SERVING) {
                done.completeExceptionally(new IllegalStateException("group " + name + " is " + groups.state(name)
                        + " here, not SERVING; run the switchover on the node that serves it"));
                return;
            }
            node.decline(name);
            LOG.info("cluster: switchover of group {} to {} requested", name, peer);
            node.evaluate();
            groups.whenReleased(name, done);
        });
        return done;
    }

    /** See {@link ClusterNode#leave(long)}. */
    void leave(long timeoutMillis) {
        CompletableFuture<Void> left = new CompletableFuture<>();
        cluster.execute(() -> {
            node.leaving();
            LOG.info("cluster: node {} leaving; releasing its groups", self);
            node.evaluate();
            node.sendHeartbeat();
            groups.whenAllOffline(left);
        });
        try {
            left.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("cluster: leaving with groups still held here: {}", e.toString());
        }
    }

    /** See {@link ClusterNode#withGroupStates(Consumer)}. */
    void withGroupStates(Consumer<Map<String, GroupState>> action) {
        try {
            cluster.submit(() -> action.accept(Map.copyOf(groups.states()))).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("cluster: stopped; group states not consulted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("cluster: could not act on the groups' states: {}", e.toString());
        }
    }
}
