package org.tandem.server.control;

import org.tandem.server.config.ConfigException;
import org.tandem.server.config.TandemConfig;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The cluster a running target belongs to, if any, and the rules it sets for changes: what opens starts in
 * standby, a grouped target's LUNs change on both servers or not at all, a reload keeps what the groups name.
 * Joined once, after start; until then (and without --ha) every rule lets changes through.
 */
final class ClusterMembership {
    private volatile ClusterControl cluster;
    private volatile Runnable lunsAdded = () -> { };

    /** See {@link TargetControl#cluster}. */
    void join(ClusterControl node, Runnable lunsAdded) {
        this.lunsAdded = lunsAdded;
        this.cluster = node;
    }

    /** Brings online, in a cluster, the LUNs just added that this node serves; nothing without one. */
    void lunsAdded() {
        lunsAdded.run();
    }

    /**
     * Whether what is opened now starts in standby: in a cluster only the cluster knows, atomically with its group
     * steps, whether this node serves a target; a LUN opened online and put in standby afterwards would answer
     * (reads and writes, on both nodes) in between.
     */
    boolean opensInStandby() {
        return cluster != null;
    }

    /**
     * LUNs of a target in a cluster group must be the same on both servers, or a failover loses some: adding or
     * removing them here alone is refused with what to do instead.
     */
    void refuseIfGrouped(String target, String what) throws ControlException {
        ClusterControl c = cluster;
        if (c == null) {
            return;
        }
        Optional<String> group = c.groupOf(target);
        if (group.isPresent()) {
            throw ControlException.conflict("target " + target + " belongs to cluster group " + group.get()
                    + ": " + what + " on this server alone would leave the peer without it after a failover;"
                    + " edit ietd.conf on both servers and reload both (tandemctl reload on each)");
        }
    }

    /** The cluster node's status, as the admin endpoint shows it. */
    Object status() throws ControlException {
        ClusterControl c = cluster;
        if (c == null || c.status() == null) {
            throw ControlException.notFound("this daemon runs without a cluster (start it with --ha DIR)");
        }
        return c.status();
    }

    /** Moves a group this node serves to the peer; returns once it is released here (at most 90 s). */
    void switchover(String group) throws ControlException {
        ClusterControl c = cluster;
        if (c == null) {
            throw ControlException.notFound("this daemon runs without a cluster (start it with --ha DIR)");
        }
        try {
            c.switchover(group).get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException) {
                throw ControlException.notFound(cause.getMessage());
            }
            throw ControlException.conflict(cause.getMessage());
        } catch (TimeoutException e) {
            throw ControlException.failed("group " + group + " did not release within 90 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ControlException.failed("interrupted");
        }
    }

    /**
     * Why {@code next} cannot be applied in a cluster: it drops a target a group names, whose next release or start
     * would then fail on it (a FAILED group, which the peer may only take after fencing this node). Null when fine.
     */
    String droppedGroupedTarget(TandemConfig next) {
        ClusterControl c = cluster;
        if (c == null) {
            return null;
        }
        for (ClusterControl.Group g : c.groups()) {
            for (String t : g.targets()) {
                if (next.targets().stream().noneMatch(w -> w.name().equalsIgnoreCase(t))) {
                    return next.file() + " no longer defines target " + t + ", which cluster group " + g.name()
                            + " holds (haresources): its next release or start would fail on it; keep the target,"
                            + " or take it out of haresources on both servers and restart them one after the other";
                }
            }
        }
        return null;
    }

    /** Why {@code next} cannot be applied in a cluster: IOMode=wb on a grouped LUN (see ClusterWriteBack). */
    String writeBackOnGroupedLun(TandemConfig next) {
        ClusterControl c = cluster;
        if (c == null) {
            return null;
        }
        try {
            ClusterWriteBack.refuse(next, t -> c.groupOf(t).orElse(null));
            return null;
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
