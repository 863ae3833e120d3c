package org.tandem.server.control;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the control of a running target needs of the cluster it runs in; the cluster adapter
 * ({@code org.tandem.server.ha}) implements it over the cluster node, so this package knows nothing of
 * ha-failover.
 */
public interface ClusterControl {
    /** A resource group (haresources) and the targets it moves, by name as configured. */
    record Group(String name, List<String> targets) {
        public Group {
            targets = List.copyOf(targets);
        }
    }

    /** The groups as the node last published them, in haresources order; empty before it published anything. */
    List<Group> groups();

    /** The group that holds a target (iSCSI names ignore case), if any. */
    default Optional<String> groupOf(String target) {
        return groups().stream().filter(g -> g.targets().stream().anyMatch(target::equalsIgnoreCase))
                .map(Group::name).findFirst();
    }

    /**
     * Moves a group this node serves to the peer. Completes once it is released here; fails with
     * IllegalArgumentException for a group that does not exist, and with another exception (its message says why)
     * when the switchover is refused or the release failed.
     */
    CompletableFuture<Void> switchover(String group);

    /** The node's status as the admin endpoint shows it (serialised as JSON), or null before the first. */
    Object status();
}
