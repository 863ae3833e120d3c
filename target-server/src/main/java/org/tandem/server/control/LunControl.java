package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;
import org.tandem.lun.store.DetachableStore;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.LunConfig;
import org.tandem.server.session.IscsiTarget;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The LUNs of a running target: added, removed, resized, taken offline and brought online, as TargetControl's
 * methods of the same names document. Not synchronized itself: TargetControl calls it under its one lock.
 */
final class LunControl {
    /** TargetControl's logger: these lines read as they did before the control was split. */
    private static final Logger LOG = LogManager.getLogger(TargetControl.class);
    /** A LUN read or written this recently counts as in use. */
    private static final long IN_USE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final CatalogLookup lookup;
    private final Stanzas stanzas;
    private final ClusterMembership cluster;
    private final Retirement retirement;

    LunControl(CatalogLookup lookup, Stanzas stanzas, ClusterMembership cluster, Retirement retirement) {
        this.lookup = lookup;
        this.stanzas = stanzas;
        this.cluster = cluster;
        this.retirement = retirement;
    }

    LogicalUnit add(String target, LunRequest request) throws ControlException {
        IscsiTarget t = lookup.target(target);
        cluster.refuseIfGrouped(target, "adding a LUN");
        int number = request.lun() != null ? request.lun() : lowestFree(t);
        if (t.lun(number) != null) {
            throw ControlException.conflict("target " + target + " already has LUN " + number);
        }
        LunConfig lun = stanzas.lun(target, number, request);
        boolean created = false;
        if (request.createBytes() != null) {
            created = createFile(lun, request.createBytes());
        }
        try {
            LogicalUnit unit = t.addLun(lun, cluster.opensInStandby());
            cluster.lunsAdded();
            LOG.info("admin: target {} LUN {} added: {}", target, number, unit.store().describe());
            return unit;
        } catch (ConfigException e) {
            if (created) {
                deleteQuietly(lun.store().path());
            }
            throw ControlException.invalid(e.getMessage()); // the path or options given do not open
        }
    }

    void remove(String target, int number, boolean force) throws ControlException {
        cluster.refuseIfGrouped(target, "removing a LUN");
        IscsiTarget t = lookup.target(target);
        LogicalUnit u = lookup.lun(target, number);
        String busy = busy(u);
        if (busy != null && !force) {
            throw ControlException.conflict("LUN " + number + " of " + target + " is in use (" + busy
                    + "); stop its I/O first or force");
        }
        t.removeLun(number);
        retirement.retire(u);
        LOG.info("admin: target {} LUN {} removed{}", target, number, busy == null ? "" : " while in use (" + busy
                + ", forced)");
    }

    long resize(String target, int number, long bytes, boolean force) throws ControlException {
        IscsiTarget t = lookup.target(target);
        LogicalUnit u = lookup.lun(target, number);
        int blockSize = u.store().blockSize();
        if (bytes < 0 || bytes % blockSize != 0) {
            throw ControlException.invalid("size " + bytes + " is not a whole number of " + blockSize
                    + "-byte blocks");
        }
        long blocks = bytes / blockSize;
        long now = u.store().blockCount();
        if (blocks != 0 && blocks < now && !force) {
            throw ControlException.conflict("shrinking LUN " + number + " of " + target + " from " + now + " to "
                    + blocks + " blocks discards the data past the new end; force to do it");
        }
        if (blocks == 0 && u.store().describe().startsWith("fileio")) {
            throw ControlException.invalid("size 0: a fileio LUN needs a size");
        }
        long after;
        try {
            after = u.resize(blocks);
        } catch (IOException e) {
            throw ControlException.failed("cannot resize LUN " + number + " of " + target + ": " + e.getMessage());
        }
        LunConfig config = t.config().lun(number);
        if (config != null && config.store().type() == StoreType.NULLIO) {
            t.lunChanged(new LunConfig(number, new StoreSpec(config.store().type(), null,
                    config.store().ioMode(), config.store().blockSize(), after), config.scsiId(), config.scsiSn()));
        }
        return after;
    }

    void offline(String target, int number) throws ControlException {
        LogicalUnit u = lookup.lun(target, number);
        if (u.online()) {
            u.takeOffline(SenseReason.LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION);
            LOG.info("admin: target {} LUN {} offline", target, number);
        }
    }

    void online(String target, int number) throws ControlException {
        LogicalUnit u = lookup.lun(target, number);
        if (u.store() instanceof DetachableStore d && !d.attached()) {
            // Its device is the peer's now (a DRBD Secondary here): every read and write would fail.
            throw ControlException.conflict("LUN " + number + " of " + target + " belongs to a cluster group this"
                    + " server does not serve, so its device is not open here; bring it online on the server that"
                    + " serves the group (tandemctl cluster shows which), or move the group here with tandemctl"
                    + " switchover on that server");
        }
        if (!u.online()) {
            u.bringOnline();
            LOG.info("admin: target {} LUN {} online", target, number);
        }
    }

    /** Why a unit counts as in use, or null when idle. */
    static String busy(LogicalUnit u) {
        int inFlight = u.commandsInFlight();
        long since = u.nanosSinceMediumAccess();
        if (inFlight > 0) {
            return inFlight + " command(s) in flight";
        }
        if (since < IN_USE_NANOS) {
            return String.format(Locale.ROOT, "last read or write %.1f s ago", since / 1e9);
        }
        return null;
    }

    static int lowestFree(IscsiTarget t) {
        int n = 0;
        while (t.lun(n) != null) {
            n++;
        }
        return n;
    }

    private static boolean createFile(LunConfig lun, long bytes) throws ControlException {
        Path path = lun.store().path();
        if (lun.store().type() != StoreType.FILEIO) {
            throw ControlException.invalid("only a fileio LUN's file can be created");
        }
        if (bytes <= 0) {
            throw ControlException.invalid("size must be positive");
        }
        if (Files.exists(path)) {
            throw ControlException.conflict(path + " already exists; add it without a size to use it as it is");
        }
        try {
            Files.createFile(path);
        } catch (IOException e) {
            throw ControlException.failed("cannot create " + path + ": " + e);
        }
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(bytes);
        } catch (IOException e) {
            deleteQuietly(path); // ours: created just above
            throw ControlException.failed("cannot size " + path + " to " + bytes + " bytes: " + e);
        }
        LOG.info("admin: created {} ({} bytes, sparse)", path, bytes);
        return true;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", path, e.toString());
        }
    }
}
