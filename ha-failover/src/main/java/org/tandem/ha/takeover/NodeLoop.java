package org.tandem.ha.takeover;

/**
 * The cluster node's actor loop as the parts it hands work to ({@link GroupSteps}, {@link OperatorRequests}) see
 * it. Every method is called on the cluster thread, and only there.
 */
interface NodeLoop {
    /** What the planner decides from now; null while the node is not in the cluster (not started, or out). */
    ClusterView view();

    /** Decide again ({@link Planner}) and act on the decisions. */
    void evaluate();

    /** Send a heartbeat now rather than at the next keepalive, so that the peer sees a change at once. */
    void sendHeartbeat();

    /** Publish the node's status for the admin endpoint and tandemctl. */
    void publishStatus();

    /** Declines the group here: the planner releases it, and the peer takes it when it sees that (a switchover). */
    void decline(String group);

    /** The node leaves the cluster: from now on the planner releases every group here. */
    void leaving();
}
