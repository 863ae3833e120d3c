package org.tandem.server.session;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.store.BlockStores;
import org.tandem.lun.store.DetachableStore;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.scsi.lu.StandardCommands;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.lu.NoLogicalUnit;
import org.tandem.scsi.lu.ScsiDevice;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TargetConfig;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/**
 * A configured target at run time: its configuration and its opened logical units by LUN number. LUNs and
 * access settings change while sessions run (admin endpoint, reload): the configuration and the LUN map are
 * immutable snapshots replaced under this object's lock, so the I/O path reads them without locking.
 */
public final class IscsiTarget implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(IscsiTarget.class);

    private final String name;
    private final int portalGroupTag;
    private final Executor ioExecutor;
    /** Its LUNs' stores open only while its cluster group is served here ({@link #openStores()}). */
    private final boolean followsRole;
    /** The level of the LUN lines: INFO, or DEBUG in an internal catalog ({@link TargetCatalog#sessionLogLevel}). */
    private final Level logLevel;
    private volatile TargetConfig config;
    private volatile NavigableMap<Integer, LogicalUnit> luns = Collections.emptyNavigableMap();
    /** What a LUN field without a logical unit behind it answers (REPORT LUNS lists this target's LUNs). */
    private final ScsiDevice noLogicalUnit = new NoLogicalUnit(this::lunNumbers);

    private IscsiTarget(TargetConfig config, int portalGroupTag, Executor ioExecutor, boolean followsRole,
                        Level logLevel) {
        this.name = config.name();
        this.config = config;
        this.portalGroupTag = portalGroupTag;
        this.ioExecutor = ioExecutor;
        this.followsRole = followsRole;
        this.logLevel = logLevel;
    }

    /** Opens every LUN's store; if one fails, those already opened are closed and the error names the LUN. */
    public static IscsiTarget open(TargetConfig config, int portalGroupTag, Executor ioExecutor)
            throws ConfigException {
        return open(config, portalGroupTag, ioExecutor, false);
    }

    /**
     * As {@link #open(TargetConfig, int, Executor)}; with {@code followsRole} (a target of a cluster group) no
     * store is opened now: they open in {@link #openStores()} once the group is started here, and close in
     * {@link #closeStores()} before it is released.
     */
    public static IscsiTarget open(TargetConfig config, int portalGroupTag, Executor ioExecutor, boolean followsRole)
            throws ConfigException {
        return open(config, portalGroupTag, ioExecutor, followsRole, Level.INFO);
    }

    /** As above, with the LUN lines logged at {@code logLevel}. */
    static IscsiTarget open(TargetConfig config, int portalGroupTag, Executor ioExecutor, boolean followsRole,
                            Level logLevel) throws ConfigException {
        IscsiTarget target = new IscsiTarget(config, portalGroupTag, ioExecutor, followsRole, logLevel);
        NavigableMap<Integer, LogicalUnit> opened = new TreeMap<>();
        try {
            for (LunConfig lun : config.luns()) {
                opened.put(lun.number(), target.openUnit(lun));
            }
        } catch (ConfigException e) {
            closeAll(new ArrayList<>(opened.values()));
            throw e;
        }
        target.luns = Collections.unmodifiableNavigableMap(opened);
        return target;
    }

    private LogicalUnit openUnit(LunConfig lun) throws ConfigException {
        BlockStore store;
        try {
            store = followsRole ? new DetachableStore(lun.store()) : BlockStores.open(lun.store());
        } catch (IOException | RuntimeException e) {
            throw cannotOpen(lun, e);
        }
        LunIdentity identity = LunIdentity.derive(name, portalGroupTag, lun.number(), lun.scsiId(), lun.scsiSn());
        LOG.log(logLevel, "target {} LUN {}: {}", name, lun.number(), store.describe());
        return new LogicalUnit(identity, store, ioExecutor, StandardCommands.table(), this::lunNumbers);
    }

    private ConfigException cannotOpen(LunConfig lun, Exception e) {
        return new ConfigException(lun.origin().prefix() + "target " + name + " LUN " + lun.number() + ": "
                + cannotOpen(lun.store(), e), e);
    }

    /** Whether its LUNs' stores open only while its cluster group is served here. */
    public boolean followsRole() {
        return followsRole;
    }

    /**
     * Opens the stores of the LUNs that are closed (a target of a cluster group, once DRBD is promoted and the
     * volume groups are active). If one fails, those opened here are closed again and the error names the LUN's
     * line in ietd.conf. Returns the units whose store it opened.
     */
    public synchronized List<LogicalUnit> openStores() throws ConfigException {
        List<LogicalUnit> opened = new ArrayList<>();
        for (LogicalUnit u : luns.values()) {
            if (u.store() instanceof DetachableStore d && !d.attached()) {
                try {
                    d.attach();
                } catch (IOException | RuntimeException e) {
                    try {
                        closeStores(opened);
                    } catch (IOException closing) {
                        e.addSuppressed(closing); // logged by closeStores
                    }
                    LunConfig lun = config.lun(u.identity().lun());
                    throw lun == null ? new ConfigException("target " + name + " LUN " + u.identity().lun() + ": "
                            + e.getMessage(), e) : cannotOpen(lun, e);
                }
                opened.add(u);
                LOG.log(logLevel, "target {} LUN {}: opened {}", name, u.identity().lun(), d.describe());
            }
        }
        return opened;
    }

    /**
     * Flushes and closes the stores of the LUNs that follow the cluster role (before DRBD is demoted: a device
     * held open cannot be). The first failure is thrown once all were tried.
     */
    public synchronized void closeStores() throws IOException {
        closeStores(new ArrayList<>(luns.values()));
    }

    private static void closeStores(List<LogicalUnit> units) throws IOException {
        IOException first = null;
        for (LogicalUnit u : units) {
            if (u.store() instanceof DetachableStore d) {
                try {
                    d.detach();
                } catch (IOException e) {
                    LOG.error("closing LUN {} of {}: {}", u.identity().lun(), u.identity().targetName(), e.toString());
                    first = first == null ? e : first;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Why a store did not open and what to do, naming its path once (the backends' messages start with it; a
     * missing file's also repeats it).
     */
    private static String cannotOpen(StoreSpec spec, Exception e) {
        if (spec.path() == null) {
            return "cannot open the " + spec.type().name().toLowerCase(Locale.ROOT) + " store: " + e.getMessage();
        }
        String path = spec.path().toString();
        if (e instanceof NoSuchFileException) {
            return path + " does not exist: create it (e.g. 'truncate -s 10G " + path + "' for a fileio LUN) or"
                    + " correct Path= on the Lun line";
        }
        String why = String.valueOf(e.getMessage());
        if (why.startsWith(path)) {
            why = why.substring(path.length()).replaceFirst("^:?\\s*", "");
        }
        return "cannot open " + path + ": " + why + "; correct Path= or Type= on the Lun line, or the file";
    }

    public String name() {
        return name;
    }

    /** The configuration as it stands now: LUN list, accounts and settings follow runtime changes. */
    public TargetConfig config() {
        return config;
    }

    /** The logical unit with this number, or null. */
    public LogicalUnit lun(int number) {
        return luns.get(number);
    }

    /**
     * What a command's or task management request's LUN field addresses: the logical unit, or, when there is none
     * (or the field uses an addressing method Tandem does not answer to), a {@link NoLogicalUnit}. Never null.
     */
    public ScsiDevice lun(LunAddress address) {
        LogicalUnit unit = address.addressable() ? luns.get(address.number()) : null;
        return unit != null ? unit : noLogicalUnit;
    }

    public List<Integer> lunNumbers() {
        return List.copyOf(luns.keySet());
    }

    public Collection<LogicalUnit> units() {
        return luns.values();
    }

    /**
     * Opens and adds a LUN; every I_T nexus of the target's other LUNs gets REPORTED LUNS DATA HAS CHANGED.
     *
     * @throws ConfigException when the number is taken or the store cannot be opened (nothing changed then)
     */
    public LogicalUnit addLun(LunConfig lun) throws ConfigException {
        return addLun(lun, false);
    }

    /**
     * As {@link #addLun(LunConfig)}; with {@code standby} the LUN answers NOT READY, TARGET PORT IN STANDBY STATE
     * from its first command on (a cluster node must not serve, even for a moment, a LUN its peer may serve).
     */
    public synchronized LogicalUnit addLun(LunConfig lun, boolean standby) throws ConfigException {
        if (luns.containsKey(lun.number())) {
            throw new ConfigException("target " + name + " already has LUN " + lun.number());
        }
        LogicalUnit unit = openUnit(lun);
        if (standby) {
            unit.takeOffline(SenseReason.TARGET_PORT_IN_STANDBY_STATE); // before any session can see it
        }
        NavigableMap<Integer, LogicalUnit> next = new TreeMap<>(luns);
        next.put(lun.number(), unit);
        List<LunConfig> configs = new ArrayList<>(config.luns());
        configs.add(lun);
        configs.sort((a, b) -> Integer.compare(a.number(), b.number()));
        publish(next, config.withLuns(configs));
        return unit;
    }

    /**
     * Takes a LUN out of the target: new commands for it get LOGICAL UNIT NOT SUPPORTED at once, commands under way
     * finish. Returns the unit, which the caller closes once they have; null when there is no such LUN.
     */
    public synchronized LogicalUnit removeLun(int number) {
        LogicalUnit unit = luns.get(number);
        if (unit == null) {
            return null;
        }
        NavigableMap<Integer, LogicalUnit> next = new TreeMap<>(luns);
        next.remove(number);
        List<LunConfig> configs = new ArrayList<>(config.luns());
        configs.removeIf(l -> l.number() == number);
        publish(next, config.withLuns(configs));
        return unit;
    }

    private void publish(NavigableMap<Integer, LogicalUnit> next, TargetConfig nextConfig) {
        luns = Collections.unmodifiableNavigableMap(next);
        config = nextConfig;
        for (LogicalUnit u : next.values()) {
            u.reportedLunsChanged();
        }
    }

    /** Records a LUN's new size in the configuration (nullio's Blocks=; files and devices carry their own). */
    public synchronized void lunChanged(LunConfig lun) {
        List<LunConfig> configs = new ArrayList<>(config.luns());
        configs.replaceAll(l -> l.number() == lun.number() ? lun : l);
        config = config.withLuns(configs);
    }

    /** Replaces the CHAP accounts; new logins use them, sessions already in are not affected. */
    public synchronized void access(List<ChapAccount> incoming, ChapAccount outgoing) {
        config = config.withAccounts(incoming, outgoing);
    }

    /** Replaces alias and settings (MaxConnections, digests...): they apply to logins from now on. */
    public synchronized void settings(TargetConfig from) {
        config = config.withSettings(from.alias(), from.settings());
    }

    @Override
    public void close() {
        closeAll(new ArrayList<>(luns.values()));
    }

    /** Flushes and closes units; a failure is logged and the others are still closed. */
    public static void closeAll(List<LogicalUnit> units) {
        for (LogicalUnit u : units) {
            try {
                u.store().flush();
                u.close();
            } catch (IOException e) {
                LOG.error("closing LUN {} of {}: {}", u.identity().lun(), u.identity().targetName(), e.toString());
            }
        }
    }

    /** For logs. */
    @Override
    public String toString() {
        return name;
    }

    /** The LUN numbers and the units, for views that need both. */
    public Map<Integer, LogicalUnit> unitsByNumber() {
        return luns;
    }
}
