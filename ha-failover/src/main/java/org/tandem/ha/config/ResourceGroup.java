package org.tandem.ha.config;

import java.util.List;

/**
 * One haresources line: a group of resources that move together, its preferred node, and what it holds. Started
 * in the order DRBD promote, targets online, floating addresses up; stopped in reverse.
 */
public record ResourceGroup(String name, String preferredNode, List<String> drbdResources, List<String> targets,
                            List<FloatingAddress> addresses) {

    /** {@code IPaddr::ADDRESS/PREFIX/IFACE}: a portal address that follows the group. */
    public record FloatingAddress(String address, int prefix, String iface) {
        @Override
        public String toString() {
            return address + "/" + prefix + " on " + iface;
        }
    }
}
