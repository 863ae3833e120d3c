package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.store.DetachableStore;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.AccessRules;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IscsiName;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Changes a running target, one change at a time (methods are synchronized; they block, so call them from an
 * admin thread, never an event loop). Every change is validated the way ietd.conf is, by the same parser, so
 * whatever runs can be saved back to the file. A change that would break a session in use is refused as a
 * {@link ControlException.Kind#CONFLICT} unless forced.
 */
public final class TargetControl {
    private static final Logger LOG = LogManager.getLogger(TargetControl.class);
    /** A LUN read or written this recently counts as in use. */
    private static final long IN_USE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Seconds an initiator gets to log out when asked (Async Message) before its connections are closed. */
    public static final int LOGOUT_SECONDS = 3;

    private final TargetCatalog catalog;
    private final ConfigFile file;
    private final CatalogLookup lookup;
    private final Stanzas stanzas;
    private final ClusterMembership cluster = new ClusterMembership();
    private final Retirement retirement;

    /** Takes over a started catalog; says here, once per daemon start, that an initiators.deny is in force. */
    public TargetControl(TargetCatalog catalog, ConfigFile file) {
        this.catalog = catalog;
        this.file = file;
        this.lookup = new CatalogLookup(catalog);
        this.stanzas = new Stanzas(file.path());
        this.retirement = new Retirement(catalog);
        catalog.initiatorAccess().deprecation().ifPresent(LOG::warn);
    }

    public TargetCatalog catalog() {
        return catalog;
    }

    /**
     * Joins the cluster node this target runs under. From now on LUNs and targets added here open in standby, and
     * {@code lunsAdded} runs after they were added: it brings online those this node serves.
     */
    public void cluster(ClusterControl node, Runnable lunsAdded) {
        cluster.join(node, lunsAdded);
    }

    // ---- cluster ------------------------------------------------------------------------------------------------

    /** The cluster node's status, as the admin endpoint shows it. */
    public Object clusterStatus() throws ControlException {
        return cluster.status();
    }

    /** Moves a group this node serves to the peer; returns once it is released here. */
    public void switchover(String group) throws ControlException {
        cluster.switchover(group);
    }

    public Path configFile() {
        return file.path();
    }

    // ---- targets ------------------------------------------------------------------------------------------------

    public IscsiTarget target(String name) throws ControlException {
        return lookup.target(name);
    }

    /** Creates a target with no LUNs; {@code settings} are ietd.conf directives (MaxConnections: "4"). */
    public synchronized IscsiTarget createTarget(String name, String alias, Map<String, String> settings)
            throws ControlException {
        if (name == null || name.isBlank()) {
            throw ControlException.invalid("a target needs a name (iqn.YYYY-MM.reversed.domain[:id])");
        }
        if (!IscsiName.strict(name)) { // ietd.conf may keep the loose names IET took; new ones follow RFC 7143
            throw ControlException.invalid("expected a target name iqn.YYYY-MM.reversed.domain[:id] (or eui./naa.),"
                    + " got '" + name + "'");
        }
        if (catalog.target(name) != null) {
            throw ControlException.conflict("target " + name + " already exists");
        }
        StringBuilder text = new StringBuilder("Target ").append(name).append('\n');
        if (alias != null) {
            text.append("Alias ").append(Stanzas.oneLine(alias, "Alias")).append('\n');
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            text.append(Stanzas.oneLine(e.getKey(), "setting name")).append(' ')
                    .append(Stanzas.oneLine(e.getValue(), e.getKey())).append('\n');
        }
        TargetConfig config = stanzas.parse(text.toString());
        try {
            IscsiTarget t = catalog.addTarget(config, cluster.opensInStandby());
            LOG.info("admin: target {} created", name);
            return t;
        } catch (ConfigException e) {
            throw ControlException.failed(e.getMessage());
        }
    }

    /** Deletes a target; with sessions logged in only when forced (they are then closed). */
    public synchronized void deleteTarget(String name, boolean force) throws ControlException {
        cluster.refuseIfGrouped(name, "deleting it");
        IscsiTarget t = target(name);
        List<Session> sessions = catalog.sessionsOf(t);
        if (!sessions.isEmpty() && !force) {
            throw ControlException.conflict("target " + name + " has " + sessions.size()
                    + " session(s) logged in; log them out first or force");
        }
        catalog.removeTarget(name);
        retirement.endTarget(t, "deleted");
        LOG.info("admin: target {} deleted{}", name, sessions.isEmpty() ? "" : " (" + sessions.size()
                + " session(s) closed)");
    }

    // ---- LUNs ---------------------------------------------------------------------------------------------------

    public LogicalUnit lun(String target, int number) throws ControlException {
        return lookup.lun(target, number);
    }

    /** Adds a LUN; the initiators see it at their next REPORT LUNS (they get REPORTED LUNS DATA HAS CHANGED). */
    public synchronized LogicalUnit addLun(String target, LunRequest request) throws ControlException {
        IscsiTarget t = target(target);
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

    /**
     * Removes a LUN. Refused while it is in use (commands in flight, or read or written in the last 10 s) unless
     * forced; the store is closed once its commands have finished.
     */
    public synchronized void removeLun(String target, int number, boolean force) throws ControlException {
        cluster.refuseIfGrouped(target, "removing a LUN");
        IscsiTarget t = target(target);
        LogicalUnit u = lun(target, number);
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

    /**
     * Changes a LUN's size in bytes (a whole number of blocks). Shrinking loses data past the new end, so it needs
     * force; a blockio LUN takes its device's size ({@code bytes} 0 or equal to it). Returns the new block count.
     */
    public synchronized long resizeLun(String target, int number, long bytes, boolean force)
            throws ControlException {
        IscsiTarget t = target(target);
        LogicalUnit u = lun(target, number);
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

    /** Takes a LUN offline (commands get NOT READY, LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED). */
    public synchronized void offline(String target, int number) throws ControlException {
        LogicalUnit u = lun(target, number);
        if (u.online()) {
            u.takeOffline(SenseReason.LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION);
            LOG.info("admin: target {} LUN {} offline", target, number);
        }
    }

    public synchronized void online(String target, int number) throws ControlException {
        LogicalUnit u = lun(target, number);
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

    // ---- access -------------------------------------------------------------------------------------------------

    /**
     * Replaces a target's CHAP accounts and, when {@code initiators} is not null, its initiators.allow rules. New
     * logins see the change; sessions already logged in keep running.
     */
    public synchronized void access(String target, List<ChapAccount> incoming, ChapAccount outgoing,
                                    List<String> initiators) throws ControlException {
        IscsiTarget t = target(target);
        StringBuilder text = new StringBuilder("Target ").append(target).append('\n');
        for (ChapAccount a : incoming) {
            text.append("IncomingUser ").append(Stanzas.oneLine(a.name(), "user")).append(' ')
                    .append(Stanzas.oneLine(a.secret(), "secret")).append('\n');
        }
        if (outgoing != null) {
            text.append("OutgoingUser ").append(Stanzas.oneLine(outgoing.name(), "user")).append(' ')
                    .append(Stanzas.oneLine(outgoing.secret(), "secret")).append('\n');
        }
        TargetConfig parsed = stanzas.parse(text.toString());
        if (parsed.outgoing() != null && parsed.incoming().isEmpty()) {
            throw ControlException.invalid("an OutgoingUser (mutual CHAP) needs at least one IncomingUser");
        }
        if (initiators != null) {
            TandemConfig c = catalog.config();
            // With initiators.deny in force, a target with no initiators.allow line is treated as one whose line
            // does not match, so the other targets need no 'ALL' line to stay as they were (and one would open
            // them to everyone initiators.deny refuses).
            boolean deny = c.initiatorAccess().denyInForce();
            try {
                AccessRules rules = c.initiatorsAllow().withRules(file.initiatorsAllow(), target, initiators,
                        deny ? List.of() : c.targets().stream().map(TargetConfig::name).toList());
                catalog.global(c.withInitiatorsAllow(rules));
            } catch (ConfigException e) {
                throw ControlException.invalid(Stanzas.withoutLocation(e));
            }
            if (deny && !c.initiatorsDeny().matchesEveryone(target)) {
                LOG.warn("admin: target {}: initiators.allow now lists {}, but initiators.deny is in force: {}",
                        target, initiators, c.initiatorAccess().denyEffectFor(target).orElseThrow());
            }
        }
        t.access(parsed.incoming(), parsed.outgoing());
        LOG.info("admin: target {} access changed: {} incoming user(s), outgoing user {}{}", target,
                parsed.incoming().size(), parsed.outgoing() == null ? "none" : parsed.outgoing().name(),
                initiators == null ? "" : ", initiators " + initiators);
    }

    // ---- sessions -----------------------------------------------------------------------------------------------

    public Session session(int tsih) throws ControlException {
        return lookup.session(tsih);
    }

    /** Asks a session's initiator to log out and closes its connections after {@code seconds} if it has not. */
    public Session logout(int tsih, int seconds) throws ControlException {
        Session s = session(tsih);
        LOG.info("admin: logout requested for {}", s.describe());
        s.requestLogout(seconds);
        return s;
    }

    // ---- configuration file -------------------------------------------------------------------------------------

    /**
     * Re-reads ietd.conf and the allow files and applies the difference: new targets and LUNs open, removed ones
     * close (their sessions end), changed LUNs are replaced; sessions of targets that did not change keep running.
     * In a cluster what opens starts in standby, and the cluster brings online what this node serves.
     * The file wins over runtime changes not saved. A file that does not parse changes nothing.
     */
    public synchronized ReloadReport reload() throws ControlException {
        ConfigFile.Pending read;
        TandemConfig next;
        AccessRules denyBefore = catalog.config().initiatorsDeny();
        try {
            read = file.readPending();
            next = read.config();
        } catch (ConfigException e) {
            // Logged here, whoever asked (SIGHUP or tandemctl): the log must show every refused reload.
            LOG.error("reload refused, nothing changed: {}", e.getMessage());
            throw ControlException.invalid("reload refused, nothing changed: " + e.getMessage());
        } catch (RuntimeException e) {
            // A file no rule foresaw must not kill the SIGHUP thread silently or half-answer tandemctl.
            LOG.error("reload refused, nothing changed: cannot read {}: {}", file.path(), e.toString(), e);
            throw ControlException.invalid("reload refused, nothing changed: cannot read " + file.path() + ": " + e);
        }
        String dropped = cluster.droppedGroupedTarget(next);
        if (dropped == null) {
            dropped = cluster.writeBackOnGroupedLun(next);
        }
        if (dropped != null) {
            LOG.error("reload refused, nothing changed: {}", dropped);
            throw ControlException.invalid("reload refused, nothing changed: " + dropped);
        }
        file.accept(read);
        ReloadReport report = new Reconfiguration(catalog, retirement::retire, retirement::endTarget,
                cluster.opensInStandby())
                .apply(next);
        LOG.info("reload of {}: {} target(s) added {}, {} removed {}, {} change(s) {}, {} unchanged", file.path(),
                report.targetsAdded().size(), report.targetsAdded(), report.targetsRemoved().size(),
                report.targetsRemoved(), report.changes().size(), report.changes(), report.targetsUnchanged());
        if (!next.initiatorsDeny().equals(denyBefore)) {
            next.initiatorAccess().deprecation().ifPresentOrElse(LOG::warn, () -> LOG.info("initiators.deny is gone:"
                    + " initiators.allow alone decides who logs in"));
        }
        cluster.lunsAdded();
        return report;
    }

    /** Writes the running configuration to ietd.conf (and initiators.allow), keeping comments and order. */
    public synchronized Path save(boolean force) throws ControlException {
        try {
            file.save(catalog.config(), force);
        } catch (ConfigFile.ChangedOnDisk e) {
            throw ControlException.conflict(e.getMessage());
        } catch (IOException e) {
            throw ControlException.failed("cannot write " + file.path() + ": " + e.getMessage());
        }
        LOG.info("admin: running configuration saved to {}", file.path());
        return file.path();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Why a unit counts as in use, or null when idle. */
    private static String busy(LogicalUnit u) {
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

    private static int lowestFree(IscsiTarget t) {
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
