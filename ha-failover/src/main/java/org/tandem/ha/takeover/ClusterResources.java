package org.tandem.ha.takeover;

import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.drbd.Drbd;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.ip.FloatingIp;
import org.tandem.ha.ip.Tickle;
import org.tandem.ha.lvm.VolumeGroups;

import java.util.List;

/**
 * A node's real resources: DRBD through drbdadm, LVM through vgchange, addresses through ip and arping, the tickle,
 * and the target's side through {@link ServedTargets}. A node whose groups hold no DRBD resource, volume group or
 * address (tests) may leave those null.
 */
public final class ClusterResources implements GroupResources {
    private final Drbd drbd;
    private final VolumeGroups lvm;
    private final FloatingIp ip;
    private final Tickle tickle;
    private final ServedTargets targets;

    public ClusterResources(Drbd drbd, VolumeGroups lvm, FloatingIp ip, Tickle tickle, ServedTargets targets) {
        this.drbd = drbd;
        this.lvm = lvm;
        this.ip = ip;
        this.tickle = tickle;
        this.targets = targets;
    }

    @Override
    public void promote(String resource, boolean peerFenced) throws Exception {
        drbd.promote(resource, peerFenced);
    }

    @Override
    public void demote(String resource) throws Exception {
        drbd.demote(resource);
    }

    @Override
    public void activateVolumeGroup(String volumeGroup) throws Exception {
        lvm.activate(volumeGroup);
    }

    @Override
    public void deactivateVolumeGroup(String volumeGroup) throws Exception {
        lvm.deactivate(volumeGroup);
    }

    @Override
    public void targetsOnline(List<String> names) throws Exception {
        targets.targetsOnline(names);
    }

    @Override
    public void targetsOffline(List<String> names) throws Exception {
        targets.targetsOffline(names);
    }

    @Override
    public void announceMove(List<String> names) throws Exception {
        targets.announceMove(names);
    }

    @Override
    public void addressUp(ResourceGroup.FloatingAddress address) throws Exception {
        ip.add(address);
    }

    @Override
    public void addressDown(ResourceGroup.FloatingAddress address) throws Exception {
        ip.remove(address);
    }

    /** {@link Tickle}: returns when its first round is over; the second runs on the node's timer thread. */
    @Override
    public void tickle(List<TcpConnection> connections) {
        tickle.tickle(connections).join();
    }

    /** What this node holds now, read from ip and drbdadm, for the clean-up of a crashed run before joining. */
    public LocalHoldings holdings() {
        return new LocalHoldings() {
            @Override
            public boolean holdsAddress(ResourceGroup.FloatingAddress address) throws Exception {
                return ip.present(address);
            }

            @Override
            public boolean primary(String drbdResource) throws Exception {
                return drbd.status(drbdResource).primary();
            }
        };
    }
}
