package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Applies a newly read configuration to the running catalog, touching only what differs: a target that is the
 * same keeps its sessions and LUNs untouched; a changed LUN (other path, type, mode, identity) is closed and
 * opened anew; new settings and CHAP accounts apply to logins from now on. One target that fails to open does not
 * stop the others; it is reported and left out.
 */
final class Reconfiguration {
    private static final Logger LOG = LogManager.getLogger(Reconfiguration.class);

    private final TargetCatalog catalog;
    private final Consumer<LogicalUnit> retire;
    private final BiConsumer<IscsiTarget, String> endTarget;
    private final boolean standby;
    private final List<String> added = new ArrayList<>();
    private final List<String> removed = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private int unchanged;

    /**
     * @param standby new and replaced LUNs, and the LUNs of new targets, open in standby (a cluster node: only the
     *                cluster may bring online what it serves here); otherwise they serve at once
     */
    Reconfiguration(TargetCatalog catalog, Consumer<LogicalUnit> retire, BiConsumer<IscsiTarget, String> endTarget,
                    boolean standby) {
        this.catalog = catalog;
        this.retire = retire;
        this.endTarget = endTarget;
        this.standby = standby;
    }

    ReloadReport apply(TandemConfig next) {
        for (IscsiTarget running : catalog.targets()) {
            if (next.target(running.name()) == null) {
                catalog.removeTarget(running.name());
                endTarget.accept(running, "removed from " + next.file());
                removed.add(running.name());
            }
        }
        catalog.global(next);
        for (TargetConfig wanted : next.targets()) {
            IscsiTarget running = catalog.target(wanted.name());
            if (running == null) {
                try {
                    catalog.addTarget(wanted, standby);
                    added.add(wanted.name());
                } catch (ConfigException e) {
                    LOG.error("reload: target {} not added: {}", wanted.name(), e.getMessage());
                    changes.add(wanted.name() + ": not added: " + e.getMessage());
                }
            } else if (running.config().equals(wanted)) {
                unchanged++;
            } else {
                change(running, wanted);
            }
        }
        return new ReloadReport(List.copyOf(added), List.copyOf(removed), List.copyOf(changes), unchanged);
    }

    private void change(IscsiTarget running, TargetConfig wanted) {
        TargetConfig now = running.config();
        String name = wanted.name();
        if (!Objects.equals(now.alias(), wanted.alias()) || !now.settings().equals(wanted.settings())) {
            running.settings(wanted);
            changes.add(name + ": settings");
        }
        if (!now.incoming().equals(wanted.incoming()) || !Objects.equals(now.outgoing(), wanted.outgoing())) {
            running.access(wanted.incoming(), wanted.outgoing());
            changes.add(name + ": CHAP accounts");
        }
        for (LunConfig lun : now.luns()) {
            LunConfig target = wanted.lun(lun.number());
            if (target == null || !target.equals(lun)) {
                LogicalUnit unit = running.removeLun(lun.number());
                if (unit != null) {
                    retire.accept(unit);
                }
                if (target == null) {
                    changes.add(name + ": LUN " + lun.number() + " removed");
                }
            }
        }
        for (LunConfig lun : wanted.luns()) {
            if (running.lun(lun.number()) == null) {
                boolean replaced = now.lun(lun.number()) != null;
                try {
                    running.addLun(lun, standby);
                    changes.add(name + ": LUN " + lun.number() + (replaced ? " replaced" : " added"));
                } catch (ConfigException e) {
                    LOG.error("reload: {} LUN {} not opened: {}", name, lun.number(), e.getMessage());
                    changes.add(name + ": LUN " + lun.number() + " not opened: " + e.getMessage());
                }
            }
        }
    }
}
