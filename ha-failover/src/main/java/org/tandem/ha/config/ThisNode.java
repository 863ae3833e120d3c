package org.tandem.ha.config;


import java.util.List;

/**
 * What this node knows when it starts that a Heartbeat haresources line may leave out: its routes (for an address
 * written without prefix or interface) and the targets ietd.conf defines, in file order (for IET's init script
 * name, {@code iscsitarget}, which started them all, and to refuse a named target ietd.conf lacks at its line).
 *
 * @param targetsKnown whether {@code ietdTargets} is ietd.conf's list (false: nothing is known of ietd.conf)
 */
public record ThisNode(RouteTable routes, List<String> ietdTargets, boolean targetsKnown) {
    /** Knows nothing: addresses must be complete, the bare {@code iscsitarget} finds no target, names go unchecked. */
    public static final ThisNode UNKNOWN = new ThisNode(RouteTable.empty(), List.of(), false);

    public ThisNode {
        ietdTargets = List.copyOf(ietdTargets);
    }

    /** A node whose ietd.conf defines {@code ietdTargets}. */
    public ThisNode(RouteTable routes, List<String> ietdTargets) {
        this(routes, ietdTargets, true);
    }
}
