package org.tandem.target.cluster;

import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.HaConfigException;
import org.tandem.ha.config.HaResourcesParser;
import org.tandem.ha.config.NodeName;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.config.ThisNode;
import org.tandem.ha.drbd.Drbd;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.fencing.Fencer;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.ip.FloatingIp;
import org.tandem.ha.ip.RouteTable;
import org.tandem.ha.lvm.VolumeGroups;
import org.tandem.ha.takeover.ClusterNode;
import org.tandem.ha.takeover.GroupState;
import org.tandem.ha.takeover.PingMonitor;
import org.tandem.target.session.IscsiTarget;
import org.tandem.target.session.TargetCatalog;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds a cluster node from a Heartbeat-style directory (ha.cf, authkeys, haresources) for a running target:
 * checks that every target of haresources exists, puts grouped LUNs in standby, and starts heartbeating.
 */
public final class ClusterSetup {
    private static final Logger LOG = LogManager.getLogger(ClusterSetup.class);

    private ClusterSetup() {
    }

    /**
     * The node's name: --node, else the host name (Heartbeat requires ha.cf's node names to equal uname -n), in
     * lowercase as Heartbeat and ha.cf's node lines have it: host names ignore case.
     */
    public static String nodeName(String given) throws IOException {
        if (given != null) {
            return NodeName.of(given);
        }
        String host = InetAddress.getLocalHost().getHostName();
        int dot = host.indexOf('.');
        return NodeName.of(dot > 0 ? host.substring(0, dot) : host);
    }

    /** @param connections the initiators' live connections (from the iSCSI server, once it runs) */
    /** A running cluster node, and what must hear of LUNs added later (they need their reservation mirror). */
    public record Started(ClusterNode node, ReservationReplication reservations, TargetCatalog catalog,
                          List<ResourceGroup> groups) {
        /**
         * After a reload added LUNs: those of groups not served here go to standby at once (a new LUN starts
         * online, and this server must not serve what the peer serves), and every LUN gets its reservation mirror.
         */
        public void lunsAdded() {
            // On the cluster thread: a group OFFLINE there is not starting, so its LUNs may go to standby safely.
            node.withGroupStates(states -> TargetGroupResources.standby(catalog, groups.stream()
                    .filter(g -> states.get(g.name()) == GroupState.OFFLINE).toList()));
            TargetGroupResources.standbyUnclaimed(catalog, groups);
            reservations.attach();
        }
    }

    public static Started start(Path dir, String node, TargetCatalog catalog,
                                    Supplier<List<TcpConnection>> connections) throws HaConfigException, IOException {
        HaConfig config = HaCfParser.read(dir.resolve("ha.cf"));
        AuthKeys keys = AuthKeys.read(dir.resolve("authkeys"));
        List<ResourceGroup> groups = HaResourcesParser.read(dir.resolve("haresources"), config,
                new ThisNode(routes(new CommandRunner()), catalog.targets().stream().map(IscsiTarget::name).toList()));
        if (!config.nodes().contains(NodeName.of(node))) {
            throw new HaConfigException(dir.resolve("ha.cf") + ": this node is '" + node + "', which is not among"
                    + " the node lines " + config.nodes() + " (pass --node NAME, or name the host so)");
        }
        for (ResourceGroup g : groups) {
            for (String t : g.targets()) {
                if (catalog.target(t) == null) {
                    throw new HaConfigException(dir.resolve("haresources") + ": group " + g.name() + " names target "
                            + t + ", which ietd.conf does not define");
                }
            }
        }
        TargetGroupResources.standby(catalog, groups);
        CommandRunner runner = new CommandRunner();
        Duration step = Duration.ofSeconds(30);
        Drbd drbd = new Drbd(runner, "drbdadm", "drbdsetup", step);
        VolumeGroups lvm = new VolumeGroups(runner, "vgchange", "lvs", step);
        FloatingIp ip = new FloatingIp(runner, "ip", "arping", Duration.ofSeconds(10), 3);
        Fencer fencer = new Fencer(config.fencing(), runner, Duration.ofSeconds(60));
        ReservationReplication reservations = new ReservationReplication(catalog, groups);
        ClusterNode cluster = new ClusterNode(config, groups, keys, node,
                new TargetGroupResources(catalog, drbd, lvm, ip, reservations), fencer,
                new PingMonitor(config.pingNodes(), 500), config.udpPort(), config.udpPort(), connections);
        reservations.join(cluster);
        cluster.start();
        return new Started(cluster, reservations, catalog, groups);
    }

    /**
     * This node's IPv4 and IPv6 routes of the main table, for addresses haresources gives without interface or
     * prefix. A family ip cannot list is logged and left out: only such an address then fails, naming the fix.
     */
    private static RouteTable routes(CommandRunner runner) {
        StringBuilder text = new StringBuilder();
        for (List<String> command : List.of(List.of("ip", "-4", "route", "show", "table", "main"),
                List.of("ip", "-6", "route", "show", "table", "main"))) {
            CommandRunner.Result r = runner.run(command, Duration.ofSeconds(10));
            if (r.ok()) {
                text.append(r.output()).append('\n');
            } else {
                LOG.warn("cluster: cannot read this node's routes: {}", r.describe());
            }
        }
        return RouteTable.parse(text.toString());
    }
}
