package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IscsiName;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Changes a running target, one change at a time (methods are synchronized; they block, so call them from an
 * admin thread, never an event loop). Every change is validated the way ietd.conf is, by the same parser, so
 * whatever runs can be saved back to the file. A change that would break a session in use is refused as a
 * {@link ControlException.Kind#CONFLICT} unless forced.
 * <p>
 * The one entry point of the admin endpoint, SIGHUP and the cluster: it creates and deletes targets and finds
 * sessions itself, and hands LUNs ({@link LunControl}), access ({@link AccessControl}) and the configuration file
 * ({@link ConfigFileControl}) to pieces that hold no lock of their own, so this object's monitor serialises every
 * change.
 */
public final class TargetControl {
    private static final Logger LOG = LogManager.getLogger(TargetControl.class);
    /** Seconds an initiator gets to log out when asked (Async Message) before its connections are closed. */
    public static final int LOGOUT_SECONDS = 3;

    private final TargetCatalog catalog;
    private final ConfigFile file;
    private final CatalogLookup lookup;
    private final Stanzas stanzas;
    private final ClusterMembership cluster = new ClusterMembership();
    private final Retirement retirement;
    private final LunControl luns;
    private final AccessControl accessControl;
    private final ConfigFileControl fileControl;

    /** Takes over a started catalog; says here, once per daemon start, that an initiators.deny is in force. */
    public TargetControl(TargetCatalog catalog, ConfigFile file) {
        this.catalog = catalog;
        this.file = file;
        this.lookup = new CatalogLookup(catalog);
        this.stanzas = new Stanzas(file.path());
        this.retirement = new Retirement(catalog);
        this.luns = new LunControl(lookup, stanzas, cluster, retirement);
        this.accessControl = new AccessControl(catalog, file, lookup, stanzas);
        this.fileControl = new ConfigFileControl(catalog, file, cluster, retirement);
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
        return luns.add(target, request);
    }

    /**
     * Removes a LUN. Refused while it is in use (commands in flight, or read or written in the last 10 s) unless
     * forced; the store is closed once its commands have finished.
     */
    public synchronized void removeLun(String target, int number, boolean force) throws ControlException {
        luns.remove(target, number, force);
    }

    /**
     * Changes a LUN's size in bytes (a whole number of blocks). Shrinking loses data past the new end, so it needs
     * force; a blockio LUN takes its device's size ({@code bytes} 0 or equal to it). Returns the new block count.
     */
    public synchronized long resizeLun(String target, int number, long bytes, boolean force)
            throws ControlException {
        return luns.resize(target, number, bytes, force);
    }

    /** Takes a LUN offline (commands get NOT READY, LOGICAL UNIT NOT READY, MANUAL INTERVENTION REQUIRED). */
    public synchronized void offline(String target, int number) throws ControlException {
        luns.offline(target, number);
    }

    /** Brings a LUN online; refused (CONFLICT) while its cluster group is served by the peer. */
    public synchronized void online(String target, int number) throws ControlException {
        luns.online(target, number);
    }

    // ---- access -------------------------------------------------------------------------------------------------

    /**
     * Replaces a target's CHAP accounts and, when {@code initiators} is not null, its initiators.allow rules. New
     * logins see the change; sessions already logged in keep running.
     */
    public synchronized void access(String target, List<ChapAccount> incoming, ChapAccount outgoing,
                                    List<String> initiators) throws ControlException {
        accessControl.access(target, incoming, outgoing, initiators);
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
        return fileControl.reload();
    }

    /** Writes the running configuration to ietd.conf (and initiators.allow), keeping comments and order. */
    public synchronized Path save(boolean force) throws ControlException {
        return fileControl.save(force);
    }
}
