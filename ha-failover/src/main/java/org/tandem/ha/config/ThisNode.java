package org.tandem.ha.config;

import org.tandem.ha.ip.RouteTable;

import java.util.List;

/**
 * What this node knows when it starts that a Heartbeat haresources line may leave out: its routes (for an address
 * written without prefix or interface) and the targets ietd.conf defines, in file order (for IET's init script
 * name, {@code iscsitarget}, which started them all).
 */
public record ThisNode(RouteTable routes, List<String> ietdTargets) {
    /** Knows nothing: addresses must be complete and the bare {@code iscsitarget} finds no target. */
    public static final ThisNode UNKNOWN = new ThisNode(RouteTable.empty(), List.of());

    public ThisNode {
        ietdTargets = List.copyOf(ietdTargets);
    }
}
