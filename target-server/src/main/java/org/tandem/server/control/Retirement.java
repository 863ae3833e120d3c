package org.tandem.server.control;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Takes LUNs and targets out of service once the catalog no longer lists them: a LUN's store closes when its
 * commands have finished (or after a bounded wait); a target's sessions close, then its LUNs retire. Blocks for up
 * to {@value #DRAIN_MILLIS} ms per LUN, so it runs on the admin thread, never an event loop.
 */
final class Retirement {
    /** TargetControl's logger: these lines read as they did before the control was split. */
    private static final Logger LOG = LogManager.getLogger(TargetControl.class);
    /** How long a removed LUN's commands get to finish before its store is closed anyway. */
    static final long DRAIN_MILLIS = 10_000;

    private final TargetCatalog catalog;

    Retirement(TargetCatalog catalog) {
        this.catalog = catalog;
    }

    /** Closes a unit taken out of service once its commands finished (or after a bounded wait). */
    void retire(LogicalUnit u) {
        try {
            u.drained().orTimeout(DRAIN_MILLIS, TimeUnit.MILLISECONDS).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException timedOut) {
            // reported below, as after an interruption
        }
        if (u.commandsInFlight() > 0) {
            LOG.warn("LUN {} of {}: {} command(s) still running after {} ms; closing its store anyway",
                    u.identity().lun(), u.identity().targetName(), u.commandsInFlight(), DRAIN_MILLIS);
        }
        IscsiTarget.closeAll(List.of(u));
    }

    /** Closes the sessions of a target taken out of the catalog ({@code why} goes in the log), then its LUNs. */
    void endTarget(IscsiTarget t, String why) {
        for (Session s : catalog.sessionsOf(t)) {
            LOG.info("closing {}: target {}", s.describe(), why);
            s.close();
        }
        for (LogicalUnit u : new ArrayList<>(t.units())) {
            retire(u);
        }
    }
}
