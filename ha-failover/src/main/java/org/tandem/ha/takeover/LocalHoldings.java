package org.tandem.ha.takeover;

import org.tandem.ha.config.ResourceGroup;

/**
 * What this node holds right now, as the system says (ip, drbdadm), not as the daemon remembers: after a crash the
 * daemon remembers nothing, while the floating address and the DRBD role it took are still in place.
 */
public interface LocalHoldings {
    /** Whether the address is on its interface here now. */
    boolean holdsAddress(ResourceGroup.FloatingAddress address) throws Exception;

    /** Whether the DRBD resource is Primary here now. */
    boolean primary(String drbdResource) throws Exception;
}
