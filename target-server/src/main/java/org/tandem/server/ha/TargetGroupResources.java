package org.tandem.server.ha;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.takeover.ServedTargets;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IscsiName;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The target's part in starting and releasing a group on this server (ha-failover drives DRBD, LVM, the addresses
 * and the tickle). Released LUNs answer NOT READY, TARGET PORT IN STANDBY STATE (the other server has them);
 * sessions of a released target are ended (the address is already gone, so the initiators reconnect to the
 * peer, after the new owner has tickled them), and every command under way finishes and is flushed before DRBD is
 * demoted.
 */
public final class TargetGroupResources implements ServedTargets {
    private static final Logger LOG = LogManager.getLogger(TargetGroupResources.class);
    private static final long DRAIN_MILLIS = 10_000;
    private static final long SESSION_END_DELAY_MILLIS = 5_000;

    private final TargetCatalog catalog;
    private final ReservationReplication reservations;
    /** The node's timer thread: the delayed session end of a release. */
    private final ScheduledExecutorService timers;
    /**
     * Targets whose group's targets-online step ran here with no targets-offline step since ({@link IscsiName#key}).
     * Its lock also makes those steps' switching of the LUNs, and {@link #bringOnlineAdded}, one at a time: a LUN a
     * reload opens (in standby) is brought online only while its group is served here, whatever the steps do meanwhile.
     */
    private final Set<String> served = new HashSet<>();

    /** @param timers the cluster node's timer thread ({@link NodeExecutors#timers()}): the delayed session ends */
    public TargetGroupResources(TargetCatalog catalog, ReservationReplication reservations,
                                ScheduledExecutorService timers) {
        this.catalog = catalog;
        this.reservations = reservations;
        this.timers = timers;
    }

    /** Before the cluster decides anything, grouped targets answer as standby. */
    public static void standby(TargetCatalog catalog, List<ResourceGroup> groups) {
        for (ResourceGroup g : groups) {
            for (String name : g.targets()) {
                IscsiTarget t = catalog.target(name);
                if (t != null) {
                    t.units().forEach(u -> u.takeOffline(SenseReason.TARGET_PORT_IN_STANDBY_STATE));
                }
            }
        }
    }

    /**
     * With a group written with IET's init script ({@code iscsitarget}, every target no other group names), a
     * target added after start by a reload belongs to no group: it goes to standby here and on the peer, and stays
     * there until the daemons restart and give it to that group (or haresources names it). Serving it from the node
     * that has the group would need both nodes to agree on the group's targets, which they only do at start; served
     * by both, its data would split. Returns the targets put in standby.
     */
    public static List<String> standbyUnclaimed(TargetCatalog catalog, List<ResourceGroup> groups) {
        if (groups.stream().noneMatch(ResourceGroup::everyUnnamedTarget)) {
            return List.of(); // every grouped target is named: a target outside the groups is meant to be local
        }
        List<String> unclaimed = new ArrayList<>();
        for (IscsiTarget t : catalog.targets()) {
            if (groups.stream().noneMatch(g -> g.targets().stream().anyMatch(t.name()::equalsIgnoreCase))) {
                t.units().forEach(u -> u.takeOffline(SenseReason.TARGET_PORT_IN_STANDBY_STATE));
                unclaimed.add(t.name());
            }
        }
        if (!unclaimed.isEmpty()) {
            LOG.warn("cluster: target(s) {} added after start belong to no group; in standby on this node (and on the"
                    + " peer) so that no two nodes serve them: restart both daemons one after the other for iscsitarget"
                    + " to take them, or name them in haresources with iscsi-target::IQN", unclaimed);
        }
        return unclaimed;
    }

    /**
     * Opens the LUNs' stores (DRBD is Primary and the volume groups are active by now), then brings the LUNs
     * online. A store that does not open fails the step, naming its Lun line, with the stores opened here closed
     * again, so that the undo can demote.
     */
    @Override
    public void targetsOnline(List<String> targets) throws Exception {
        long start = System.nanoTime();
        List<IscsiTarget> all = targets(targets);
        List<IscsiTarget> opened = new ArrayList<>();
        long storesOpen;
        try {
            for (IscsiTarget t : all) {
                opened.add(t); // first: openStores closes what it opened of a target itself, but only then throws
                t.openStores();
            }
            storesOpen = System.nanoTime();
            reservations.restore(targets); // the newest copies the peer sent, before any command sees the LUNs
        } catch (Exception e) {
            closeStores(opened);
            throw e;
        }
        long restored = System.nanoTime();
        for (IscsiTarget t : all) {
            for (LogicalUnit u : t.units()) {
                try {
                    u.rescan(); // the volume may have grown while the peer served it
                } catch (IOException e) {
                    LOG.warn("cluster: {} LUN {}: cannot read the medium's size ({}); keeping {} blocks", t.name(),
                            u.identity().lun(), e.getMessage(), u.store().blockCount());
                }
            }
        }
        synchronized (served) {
            for (IscsiTarget t : all) {
                served.add(IscsiName.key(t.name()));
                t.units().forEach(LogicalUnit::bringOnline); // read again: a reload may have added one meanwhile
            }
        }
        LOG.debug("cluster: targets online {}: stores opened in {} ms, reservations restored in {} ms, sizes read"
                + " and LUNs online in {} ms", targets, millis(start, storesOpen), millis(storesOpen, restored),
                millis(restored, System.nanoTime()));
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    /**
     * After a reload or the admin endpoint added LUNs or targets (they open in standby in a cluster): brings online
     * those of targets whose group is served here, and of targets no group can claim (local to this node). Under
     * the lock of the targets-online and targets-offline steps, so a group starting, serving, releasing or failed
     * here gets exactly what its last step left its other LUNs in. Only LUNs in standby are touched (one an
     * administrator took offline stays so). Returns the targets whose LUNs came online.
     */
    public List<String> bringOnlineAdded(List<ResourceGroup> groups) {
        boolean claimsUnnamed = groups.stream().anyMatch(ResourceGroup::everyUnnamedTarget);
        List<String> brought = new ArrayList<>();
        synchronized (served) {
            for (IscsiTarget t : catalog.targets()) {
                boolean grouped = groups.stream().anyMatch(g -> g.targets().stream()
                        .anyMatch(t.name()::equalsIgnoreCase));
                boolean local = !grouped && !claimsUnnamed;
                if (!local && !served.contains(IscsiName.key(t.name()))) {
                    continue;
                }
                if (t.followsRole()) {
                    try {
                        t.openStores(); // a LUN the reload added to a target served here
                    } catch (ConfigException e) {
                        LOG.error("cluster: {}; its added LUN(s) stay in standby until the group starts again", e
                                .getMessage());
                        continue;
                    }
                }
                boolean any = false;
                for (LogicalUnit u : t.units()) {
                    if (u.notReadyReason() == SenseReason.TARGET_PORT_IN_STANDBY_STATE) {
                        u.bringOnline();
                        any = true;
                    }
                }
                if (any) {
                    brought.add(t.name());
                }
            }
        }
        return brought;
    }

    /**
     * AsyncEvent 3 with Time2Wait 0 to every session of the targets (RFC 7143 section 11.9.1): the sessions stay
     * up, and once the new owner's tickle resets them the initiators reconnect at once. Measured with open-iscsi
     * in the UML bed at its default DefaultTime2Wait (2 s): a switchover's longest pause fell from 5.2-6.4 s to
     * 1.6-2.7 s (4.2 s once, on a loaded host, where the release's own ip and drbdadm runs took 1.3-1.4 s each).
     */
    @Override
    public void announceMove(List<String> targets) throws IOException {
        int told = 0;
        for (IscsiTarget t : targets(targets)) {
            for (Session s : catalog.sessionsOf(t)) {
                s.announceDrop(0);
                told++;
            }
        }
        if (told > 0) {
            LOG.info("cluster: told {} session(s) of {} that their connections will drop and that they may reconnect"
                    + " at once (AsyncEvent 3, Time2Wait 0)", told, targets);
        }
    }

    @Override
    public void targetsOffline(List<String> targets) throws Exception {
        List<IscsiTarget> all = targets(targets);
        List<Session> ending = new ArrayList<>();
        synchronized (served) {
            for (IscsiTarget t : all) {
                served.remove(IscsiName.key(t.name()));
                t.units().forEach(u -> u.takeOffline(SenseReason.TARGET_PORT_IN_STANDBY_STATE));
            }
        }
        for (IscsiTarget t : all) {
            ending.addAll(catalog.sessionsOf(t));
        }
        // The address is gone, so nothing reaches these sessions any more and nothing they send is delivered.
        // Closing them now can still tell an initiator (a FIN that slips out), which then reconnects while no node
        // has the address and backs off for seconds; left alone, its connection stays up until the new owner
        // tickles it, and it reconnects once, to the right node. They are asked to log out and closed a little
        // later, when it no longer matters.
        if (!ending.isEmpty()) {
            timers.schedule(() -> {
                for (Session s : ending) {
                    LOG.info("cluster: ending {} (its target moved)", s.describe());
                    s.requestLogout(0);
                }
            }, SESSION_END_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        for (IscsiTarget t : all) {
            for (LogicalUnit u : t.units()) {
                try {
                    u.drained().orTimeout(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).get();
                } catch (ExecutionException timedOut) {
                    throw new IOException("LUN " + u.identity().lun() + " of " + t.name() + " still has "
                            + u.commandsInFlight() + " command(s) running after " + DRAIN_MILLIS + " ms");
                }
                u.store().flush();
            }
        }
        IOException failed = closeStores(all); // a device held open cannot be demoted
        if (failed != null) {
            throw failed;
        }
    }

    /** Closes the LUN stores of every target given, even after one failed; returns the first failure, or null. */
    private static IOException closeStores(List<IscsiTarget> targets) {
        IOException first = null;
        for (IscsiTarget t : targets) {
            try {
                t.closeStores();
            } catch (IOException e) {
                first = first == null ? e : first; // IscsiTarget logged it, naming the LUN
            }
        }
        return first;
    }

    private List<IscsiTarget> targets(List<String> names) throws IOException {
        List<IscsiTarget> all = new ArrayList<>();
        for (String n : names) {
            IscsiTarget t = catalog.target(n);
            if (t == null) {
                throw new IOException("target " + n + " of haresources is not in ietd.conf");
            }
            all.add(t);
        }
        return all;
    }
}
