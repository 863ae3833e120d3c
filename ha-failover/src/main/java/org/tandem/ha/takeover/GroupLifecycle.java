package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.TcpConnection;

import java.util.ArrayList;
import java.util.List;

/**
 * Starts a group in the safe order (promote every DRBD resource, activate the LVM volume groups on them, then the
 * targets online, then the addresses up) and releases it in reverse (addresses down, targets offline, volume groups
 * inactive, demote), whatever order haresources listed them in. Each step is timed and logged. A start
 * that fails part way is undone in reverse; if the undo fails too, the group is FAILED: it may still hold
 * storage or an address, so the peer must fence this node before taking it.
 */
public final class GroupLifecycle {
    private static final Logger LOG = LogManager.getLogger(GroupLifecycle.class);

    private final GroupResources resources;

    public GroupLifecycle(GroupResources resources) {
        this.resources = resources;
    }

    /** The result: the state the group is in afterwards, and the steps taken. */
    public record Outcome(GroupState state, List<StepTiming> steps) {
    }

    /** A step: its name for logs, and the work. */
    private interface Step {
        void run() throws Exception;
    }

    public Outcome start(ResourceGroup g) {
        return start(g, List.of(), false);
    }

    /**
     * Starts a group; {@code peerConnections}, the initiators' connections the peer had, are tickled at the end.
     * {@code peerFenced}: the group is taken over from a peer that was fenced (see {@link GroupResources#promote}).
     */
    public Outcome start(ResourceGroup g, List<TcpConnection> peerConnections, boolean peerFenced) {
        List<StepTiming> steps = new ArrayList<>();
        List<Runnable> undo = new ArrayList<>();
        boolean ok = true;
        for (String r : g.drbdResources()) {
            ok = ok && step(steps, g, "promote DRBD " + r, () -> resources.promote(r, peerFenced));
            if (ok) {
                undo.add(0, () -> step(steps, g, "undo: demote DRBD " + r, () -> resources.demote(r)));
            }
        }
        for (String vg : g.volumeGroups()) {
            ok = ok && step(steps, g, "activate volume group " + vg, () -> resources.activateVolumeGroup(vg));
            if (ok) {
                undo.add(0, () -> step(steps, g, "undo: deactivate volume group " + vg,
                        () -> resources.deactivateVolumeGroup(vg)));
            }
        }
        ok = ok && step(steps, g, "targets online " + g.targets(), () -> resources.targetsOnline(g.targets()));
        if (ok) {
            undo.add(0, () -> step(steps, g, "undo: targets offline", () -> resources.targetsOffline(g.targets())));
        }
        for (ResourceGroup.FloatingAddress a : g.addresses()) {
            ok = ok && step(steps, g, "address up " + a, () -> resources.addressUp(a));
            if (ok) {
                undo.add(0, () -> step(steps, g, "undo: address down " + a, () -> resources.addressDown(a)));
            }
        }
        if (ok) {
            List<TcpConnection> ours = peerConnections.stream().filter(c -> g.addresses().stream()
                    .anyMatch(a -> a.address().equals(TcpConnection.text(c.localAddress())))).toList();
            if (!ours.isEmpty()) {
                step(steps, g, "tickle " + ours.size() + " initiator connection(s)", () -> resources.tickle(ours));
            }
            return new Outcome(GroupState.SERVING, steps);
        }
        int before = steps.size();
        undo.forEach(Runnable::run);
        boolean undone = steps.subList(before, steps.size()).stream().allMatch(StepTiming::ok);
        return new Outcome(undone ? GroupState.OFFLINE : GroupState.FAILED, steps);
    }

    public Outcome release(ResourceGroup g) {
        List<StepTiming> steps = new ArrayList<>();
        // While the address is still here to carry it: what the initiators learn now shortens their reconnect.
        step(steps, g, "announce the move to initiators", () -> resources.announceMove(g.targets()));
        boolean ok = true;
        for (ResourceGroup.FloatingAddress a : g.addresses()) {
            ok &= step(steps, g, "address down " + a, () -> resources.addressDown(a));
        }
        // Sessions end and LUNs go offline even if an address would not go: the data must stop changing here.
        ok &= step(steps, g, "targets offline " + g.targets(), () -> resources.targetsOffline(g.targets()));
        for (String vg : g.volumeGroups()) {
            ok &= step(steps, g, "deactivate volume group " + vg, () -> resources.deactivateVolumeGroup(vg));
        }
        for (String r : g.drbdResources()) {
            ok &= step(steps, g, "demote DRBD " + r, () -> resources.demote(r));
        }
        return new Outcome(ok ? GroupState.OFFLINE : GroupState.FAILED, steps);
    }

    private static boolean step(List<StepTiming> steps, ResourceGroup g, String name, Step work) {
        long start = System.nanoTime();
        try {
            work.run();
            long ms = (System.nanoTime() - start) / 1_000_000;
            steps.add(new StepTiming(name, ms, true, ""));
            LOG.info("group {}: {} ({} ms)", g.name(), name, ms);
            return true;
        } catch (Exception e) {
            long ms = (System.nanoTime() - start) / 1_000_000;
            steps.add(new StepTiming(name, ms, false, e.getMessage()));
            LOG.error("group {}: {} failed after {} ms: {}", g.name(), name, ms, e.getMessage());
            return false;
        }
    }
}
