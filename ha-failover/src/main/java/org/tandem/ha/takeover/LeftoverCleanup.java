package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * Before a node takes part in the cluster: removes what an earlier run of this node left behind when it crashed
 * (a daemon killed, then restarted before the peer fenced it). Each group's floating addresses still up here are
 * removed, and its DRBD resources still Primary here are demoted (volume groups on them deactivated first), in the
 * order a release uses. Otherwise the peer, seeing this node back with nothing served, would take the group while
 * this node still held the address: two nodes answering for one portal. If a leftover cannot be removed (DRBD
 * refuses the demote, say, because something holds the device open) the node must stay out of the cluster, so that
 * the peer declares it dead and fences it.
 */
public final class LeftoverCleanup {
    private static final Logger LOG = LogManager.getLogger(LeftoverCleanup.class);

    private LeftoverCleanup() {
    }

    /**
     * @param removed  what was found and removed, one line each (for the log and the tests)
     * @param refusal  why the node must stay out of the cluster, or null when everything left over is gone
     */
    public record Outcome(List<String> removed, String refusal) {
        public Outcome {
            removed = List.copyOf(removed);
        }

        public boolean clean() {
            return refusal == null;
        }
    }

    /** A probe or a removal, which may fail. */
    private interface Work {
        void run() throws Exception;
    }

    public static Outcome run(List<ResourceGroup> groups, LocalHoldings holdings, GroupResources resources) {
        List<String> removed = new ArrayList<>();
        for (ResourceGroup g : groups) {
            String refusal = cleanUp(g, holdings, resources, removed);
            if (refusal != null) {
                return new Outcome(removed, refusal);
            }
        }
        return new Outcome(removed, null);
    }

    /** One group's leftovers; returns why they could not all go, or null. */
    private static String cleanUp(ResourceGroup g, LocalHoldings holdings, GroupResources resources,
                                  List<String> removed) {
        try {
            for (ResourceGroup.FloatingAddress a : g.addresses()) {
                if (holdings.holdsAddress(a)) {
                    remove(g, "address " + a, removed, () -> resources.addressDown(a));
                }
            }
            List<String> primary = new ArrayList<>();
            for (String r : g.drbdResources()) {
                if (holdings.primary(r)) {
                    primary.add(r);
                }
            }
            if (!primary.isEmpty()) {
                // The volume groups live on the DRBD devices: active, they hold the devices open and block the demote.
                for (String vg : g.volumeGroups()) {
                    remove(g, "active volume group " + vg, removed, () -> resources.deactivateVolumeGroup(vg));
                }
            }
            for (String r : primary) {
                remove(g, "DRBD " + r + " Primary", removed, () -> resources.demote(r));
            }
            return null;
        } catch (Exception e) {
            return "group " + g.name() + ": " + e.getMessage();
        }
    }

    private static void remove(ResourceGroup g, String what, List<String> removed, Work work) throws Exception {
        try {
            work.run();
        } catch (Exception e) {
            throw new Exception("cannot remove " + what + " left over from an earlier run of this node: "
                    + e.getMessage(), e);
        }
        removed.add(what);
        LOG.warn("cluster: group {}: {} left over from an earlier run of this node (a crash?); removed", g.name(), what);
    }
}
