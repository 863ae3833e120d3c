package org.tandem.server.control;

import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

/** Finds what an admin request names in the running catalog, or says what is missing (NOT_FOUND). */
final class CatalogLookup {
    private final TargetCatalog catalog;

    CatalogLookup(TargetCatalog catalog) {
        this.catalog = catalog;
    }

    IscsiTarget target(String name) throws ControlException {
        IscsiTarget t = catalog.target(name);
        if (t == null) {
            throw ControlException.notFound("no target " + name);
        }
        return t;
    }

    LogicalUnit lun(String target, int number) throws ControlException {
        LogicalUnit u = target(target).lun(number);
        if (u == null) {
            throw ControlException.notFound("target " + target + " has no LUN " + number);
        }
        return u;
    }

    Session session(int tsih) throws ControlException {
        Session s = catalog.sessions().byTsih(tsih);
        if (s == null) {
            throw ControlException.notFound("no session with TSIH " + tsih);
        }
        return s;
    }
}
