package org.tandem.ha.config;

import java.util.List;

/**
 * One haresources line: a group of resources that move together, its preferred node, and what it holds. Started
 * in the order DRBD promote, volume groups active, targets online, floating addresses up; stopped in reverse,
 * whatever order the line was written in.
 *
 * @param volumeGroups        {@code LVM::VG}: LVM volume groups on the DRBD devices, active where the group runs
 * @param everyUnnamedTarget  written with IET's init script name ({@code iscsitarget}): {@code targets} are the
 *                            ietd.conf targets no other group named when this node started
 */
public record ResourceGroup(String name, String preferredNode, List<String> drbdResources, List<String> volumeGroups,
                            List<String> targets, List<FloatingAddress> addresses, boolean everyUnnamedTarget) {

    public ResourceGroup {
        drbdResources = List.copyOf(drbdResources);
        volumeGroups = List.copyOf(volumeGroups);
        targets = List.copyOf(targets);
        addresses = List.copyOf(addresses);
    }

    /** A group without LVM whose targets are named one by one. */
    public ResourceGroup(String name, String preferredNode, List<String> drbdResources, List<String> targets,
                         List<FloatingAddress> addresses) {
        this(name, preferredNode, drbdResources, List.of(), targets, addresses, false);
    }

    /**
     * {@code IPaddr::ADDRESS/PREFIX/IFACE}: a portal address that follows the group. Always complete: a prefix or
     * interface left out in haresources was found in this node's routes when the file was read.
     */
    public record FloatingAddress(String address, int prefix, String iface) {
        @Override
        public String toString() {
            return address + "/" + prefix + " on " + iface;
        }
    }
}
