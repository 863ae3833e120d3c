package org.tandem.server;

import org.tandem.ha.config.HaConfigException;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.lun.spi.StoreType;
import org.tandem.server.ha.ClusterSetup;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.control.ClusterWriteBack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code tandemd --check}: reads every configuration file as start-up does (ietd.conf, the access files, and with
 * {@code --ha} ha.cf, authkeys and haresources, checked against this node's name and routes) and says what it
 * understood, without opening a LUN, binding a port, sending a heartbeat or fencing anyone. So a site can try its
 * IET and Heartbeat files beside a running Heartbeat pair, which a started daemon would take for a dead peer and
 * fence once initdead passed.
 */
final class ConfigCheck {
    /** Exit status: the files are accepted. */
    static final int ACCEPTED = 0;
    /** Exit status: a file is refused (as start-up would refuse it), or a LUN's path is missing. */
    static final int REFUSED = 2;

    private ConfigCheck() {
    }

    /**
     * @param ha   the cluster directory, or null for a target without a cluster
     * @param node this node's name (--node), or null for the host name
     * @return {@link #ACCEPTED} or {@link #REFUSED}; warnings go to the log as at start-up
     */
    static int run(Path config, Path ha, String node, PrintStream out) {
        TandemConfig parsed;
        try {
            parsed = IetdConfParser.read(config);
        } catch (ConfigException e) {
            out.println("refused: " + e.getMessage());
            return REFUSED;
        }
        int luns = parsed.targets().stream().mapToInt(t -> t.luns().size()).sum();
        out.println(config + ": " + parsed.targets().size() + " target(s), " + luns + " LUN(s); initiators.allow "
                + present(parsed.initiatorsAllow().present()) + ", initiators.deny "
                + (parsed.initiatorsDeny().present() ? "in force" : "absent") + ", targets.allow "
                + present(parsed.targetsAllow().present()));
        List<ResourceGroup> groups = List.of();
        if (ha != null) {
            try {
                String me = ClusterSetup.nodeName(node);
                ClusterSetup.ClusterFiles files = ClusterSetup.read(ha, me,
                        parsed.targets().stream().map(TargetConfig::name).toList());
                groups = files.groups();
                List<ResourceGroup> named = groups;
                ClusterWriteBack.refuse(parsed, t -> ClusterSetup.groupOf(named, t));
                out.println(ha + ": node " + me + ", peer " + files.config().peerOf(me) + "; "
                        + files.config().links().size() + " link(s) " + files.config().links() + "; keepalive "
                        + files.config().keepalive().toMillis() + " ms, deadtime "
                        + files.config().deadtime().toMillis() + " ms; fencing "
                        + (files.config().fencing().configured() ? String.join(" ", files.config().fencing().command())
                        : "none"));
                for (ResourceGroup g : groups) {
                    out.println("  group " + g.name() + " preferred " + g.preferredNode() + ": DRBD "
                            + g.drbdResources() + ", LVM " + g.volumeGroups() + ", targets " + g.targets()
                            + ", addresses " + g.addresses());
                }
            } catch (HaConfigException | IOException | ConfigException e) {
                out.println("refused: " + e.getMessage());
                return REFUSED;
            }
        }
        boolean missing = false;
        for (TargetConfig t : parsed.targets()) {
            boolean grouped = groups.stream().anyMatch(g -> g.targets().stream().anyMatch(t.name()::equalsIgnoreCase));
            out.println("  target " + t.name() + (grouped ? " (grouped)" : "") + ": " + t.luns().size() + " LUN(s)");
            for (LunConfig l : t.luns()) {
                Path path = l.store().path();
                String kind = l.store().type().name().toLowerCase(Locale.ROOT);
                if (path == null || l.store().type() == StoreType.NULLIO || Files.exists(path)) {
                    out.println("    LUN " + l.number() + " " + kind + (path == null ? "" : " " + path));
                } else if (grouped) {
                    // a DRBD device or an LV of a volume group that is active only where the group runs
                    out.println("    LUN " + l.number() + " " + kind + " " + path + ": not there now; it must be"
                            + " once this node runs the group");
                } else {
                    out.println("    LUN " + l.number() + " " + kind + " " + path + ": does not exist, so the daemon"
                            + " would not start: create it or correct Path=");
                    missing = true;
                }
            }
        }
        out.println(missing ? "refused: a LUN's path is missing (above)"
                : "accepted; nothing was started (no LUN opened, no port bound, no heartbeat sent, nobody fenced)");
        return missing ? REFUSED : ACCEPTED;
    }

    private static String present(boolean present) {
        return present ? "present" : "absent";
    }
}
