package org.tandem.server.ha;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.takeover.ClusterNode;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.reservation.ReservationState;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.util.List;

/**
 * Persistent reservations survive a failover: every change on a LUN of a cluster group is copied to the peer
 * (record "pr TARGET LUN" in the heartbeats) before the PERSISTENT RESERVE OUT completes, the peer keeps the
 * newest copy and puts it into its standby LUN, and a node starting a group puts the newest copies it holds into
 * the LUNs before they go online. Both servers present the same target port (same target name and portal group
 * tag behind the floating portal), so the registered I_T nexuses mean the same thing on either.
 */
public final class ReservationReplication {
    private static final Logger LOG = LogManager.getLogger(ReservationReplication.class);

    private final TargetCatalog catalog;
    private final List<ResourceGroup> groups;
    private volatile ClusterNode cluster;

    public ReservationReplication(TargetCatalog catalog, List<ResourceGroup> groups) {
        this.catalog = catalog;
        this.groups = List.copyOf(groups);
    }

    static String key(String target, int lun) {
        return "pr " + target + " " + lun;
    }

    /** Joins the cluster node: the peer's copies are applied as they arrive, and the LUNs copy their changes. */
    public void join(ClusterNode node) {
        this.cluster = node;
        node.records().listener(this::received);
        attach();
    }

    /**
     * Gives every LUN of a grouped target its mirror to the peer. Idempotent; run again after LUNs are added
     * (configuration reload or the admin endpoint).
     */
    public void attach() {
        ClusterNode node = cluster;
        if (node == null) {
            return;
        }
        for (ResourceGroup g : groups) {
            for (String name : g.targets()) {
                IscsiTarget t = catalog.target(name);
                if (t == null) {
                    continue;
                }
                for (LogicalUnit u : t.units()) {
                    String key = key(name, u.identity().lun());
                    u.reservationMirror(state -> node.replicate(key, state.encode()));
                }
            }
        }
    }

    /** Before a group's LUNs go online here: the newest reservations this node holds for them. */
    void restore(List<String> targets) {
        ClusterNode node = cluster;
        if (node == null) {
            return;
        }
        for (String name : targets) {
            IscsiTarget t = catalog.target(name);
            if (t == null) {
                continue;
            }
            for (LogicalUnit u : t.units()) {
                byte[] copy = node.records().get(key(name, u.identity().lun()));
                if (copy != null) {
                    apply(name, u, copy);
                }
            }
        }
        attach();
    }

    /** A copy from the peer, which serves the LUN: into the standby LUN here at once. */
    private void received(String key, byte[] payload) {
        String[] parts = key.split(" ");
        if (parts.length != 3 || !parts[0].equals("pr")) {
            LOG.warn("cluster: ignoring replicated record {} (not a reservation record)", key);
            return;
        }
        IscsiTarget t = catalog.target(parts[1]);
        LogicalUnit u;
        try {
            u = t == null ? null : t.lun(Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            u = null;
        }
        if (u == null) {
            // Kept in the records all the same; restore() applies it if the LUN exists when the group starts here.
            LOG.warn("cluster: reservations for {} LUN {} arrived, but this node has no such LUN", parts[1], parts[2]);
            return;
        }
        if (u.online()) {
            LOG.warn("cluster: reservations for {} LUN {} arrived from the peer while the LUN is online here;"
                    + " not applied", parts[1], parts[2]);
            return;
        }
        apply(parts[1], u, payload);
    }

    private static void apply(String target, LogicalUnit u, byte[] payload) {
        try {
            ReservationState state = ReservationState.decode(payload);
            u.reservations().restore(state);
            LOG.info("cluster: {} LUN {}: reservations from the peer (generation {}, {} registration(s){})", target,
                    u.identity().lun(), state.generation(), state.registrations().size(),
                    state.type() != 0 ? ", reserved type " + state.type() : "");
        } catch (IllegalArgumentException e) {
            LOG.error("cluster: {} LUN {}: the peer's reservation record is damaged ({}); not applied", target,
                    u.identity().lun(), e.getMessage());
        }
    }
}
