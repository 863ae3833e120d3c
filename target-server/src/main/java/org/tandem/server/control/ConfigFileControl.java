package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.config.AccessRules;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.session.TargetCatalog;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The running target and its configuration file: reload applies what the file says now, save writes back what
 * runs, as {@link TargetControl#reload} and {@link TargetControl#save} document. Not synchronized itself:
 * TargetControl calls it under its one lock.
 */
final class ConfigFileControl {
    /** TargetControl's logger: these lines read as they did before the control was split. */
    private static final Logger LOG = LogManager.getLogger(TargetControl.class);

    private final TargetCatalog catalog;
    private final ConfigFile file;
    private final ClusterMembership cluster;
    private final Retirement retirement;

    ConfigFileControl(TargetCatalog catalog, ConfigFile file, ClusterMembership cluster, Retirement retirement) {
        this.catalog = catalog;
        this.file = file;
        this.cluster = cluster;
        this.retirement = retirement;
    }

    ReloadReport reload() throws ControlException {
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
                cluster.opensInStandby()).apply(next);
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

    Path save(boolean force) throws ControlException {
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
}
