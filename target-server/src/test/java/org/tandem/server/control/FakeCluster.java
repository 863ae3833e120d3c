package org.tandem.server.control;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A cluster node as the control sees it, for tests: fixed groups, a switchover that ends as told, a status. */
final class FakeCluster implements ClusterControl {
    private final List<Group> groups;
    private final CompletableFuture<Void> switchover;

    private FakeCluster(List<Group> groups, CompletableFuture<Void> switchover) {
        this.groups = groups;
        this.switchover = switchover;
    }

    /** A node with {@code groups} whose every switchover completes as {@code switchover} does. */
    static ClusterControl of(List<Group> groups, CompletableFuture<Void> switchover) {
        return new FakeCluster(groups, switchover);
    }

    /** A node that has published no groups yet (nothing is grouped) and switches nothing over. */
    static ClusterControl withoutGroups() {
        return of(List.of(), CompletableFuture.failedFuture(new IllegalArgumentException("no groups")));
    }

    @Override
    public List<Group> groups() {
        return groups;
    }

    @Override
    public CompletableFuture<Void> switchover(String group) {
        return switchover;
    }

    @Override
    public Object status() {
        return "serving " + groups;
    }
}
