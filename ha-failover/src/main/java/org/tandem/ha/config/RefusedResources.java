package org.tandem.ha.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Heartbeat resource scripts that make no sense for an iSCSI target, each with why and what to write instead.
 * Names as in Heartbeat's resource.d; the comparison ignores case, as people wrote {@code filesystem} too.
 */
final class RefusedResources {
    private static final String OTHER_SERVICE = " is a service other than an iSCSI target: Tandem runs targets only;"
            + " keep that service under its own cluster manager (Pacemaker) and remove it from this line";

    private static final Map<String, String> WHY = Map.ofEntries(
            Map.entry("filesystem", "Filesystem mounts a file system, but a target exports block devices and mounts"
                    + " nothing: give the device itself to ietd.conf (Lun 0 Path=/dev/drbd0,Type=blockio, or an LVM"
                    + " volume with LVM::VG) and remove Filesystem::; a file-backed LUN (Type=fileio) on a file system"
                    + " that moves with the group cannot fail over under Tandem, put it on a block device instead"),
            Map.entry("mailto", "MailTo sends mail on takeover, which Tandem does not do: every takeover step is"
                    + " logged with its time and shown by tandemctl cluster; alert from the log and remove"
                    + " MailTo"),
            Map.entry("delay", "Delay only waits; Tandem orders and verifies each step itself (DRBD Primary checked"
                    + " before the targets start), so remove Delay"),
            Map.entry("sendarp", "SendArp sends gratuitous ARPs, which Tandem already sends after adding an IPaddr"
                    + " address; remove SendArp"),
            Map.entry("portblock", "portblock blocks the iSCSI port during a move; Tandem instead makes the initiators"
                    + " reconnect at once after a takeover (tickle), so remove portblock"),
            Map.entry("ipsrcaddr", "IPsrcaddr changes the node's preferred source address for outgoing traffic, which"
                    + " a target answering connections does not need; remove IPsrcaddr"),
            Map.entry("ipv6addr", "write IPv6 addresses as IPaddr::ADDRESS/PREFIX/IFACE (Tandem's IPaddr takes"
                    + " both families)"),
            Map.entry("raid1", "Raid1 assembles software RAID, which is not a takeover step in Tandem: assemble the"
                    + " array at boot (mdadm.conf) on both nodes, put DRBD on it, and remove Raid1"),
            Map.entry("audiblealarm", "AudibleAlarm beeps on takeover, which Tandem does not do; remove it"),
            Map.entry("xinetd", "xinetd" + OTHER_SERVICE),
            Map.entry("apache", "apache" + OTHER_SERVICE),
            Map.entry("httpd", "httpd" + OTHER_SERVICE),
            Map.entry("nfs-kernel-server", "nfs-kernel-server" + OTHER_SERVICE),
            Map.entry("nfs-common", "nfs-common" + OTHER_SERVICE),
            Map.entry("nfslock", "nfslock" + OTHER_SERVICE),
            Map.entry("nfs", "nfs" + OTHER_SERVICE),
            Map.entry("samba", "samba" + OTHER_SERVICE),
            Map.entry("smb", "smb" + OTHER_SERVICE),
            Map.entry("mysql", "mysql" + OTHER_SERVICE),
            Map.entry("postgresql", "postgresql" + OTHER_SERVICE));

    private RefusedResources() {
    }

    /** Why the script is refused and what to do; empty for a script not in the table. */
    static Optional<String> why(String kind) {
        return Optional.ofNullable(WHY.get(kind.toLowerCase(Locale.ROOT)));
    }
}
