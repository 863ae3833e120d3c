package org.tandem.server.ha;

import org.tandem.ha.takeover.ClusterNode;
import org.tandem.ha.takeover.ClusterStatus;
import org.tandem.server.control.ClusterControl;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The cluster node as the target's control sees it: its groups, a switchover, and its status for the admin API. */
public final class ClusterNodeControl implements ClusterControl {
    private final ClusterNode node;

    public ClusterNodeControl(ClusterNode node) {
        this.node = node;
    }

    @Override
    public List<Group> groups() {
        ClusterStatus status = node.status();
        return status == null ? List.of() : status.groups().stream()
                .map(g -> new Group(g.name(), g.targets())).toList();
    }

    @Override
    public CompletableFuture<Void> switchover(String group) {
        return node.switchover(group);
    }

    @Override
    public ClusterStatus status() {
        return node.status();
    }
}
