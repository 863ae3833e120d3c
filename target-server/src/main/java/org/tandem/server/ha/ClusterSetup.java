package org.tandem.server.ha;

import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.HaConfigException;
import org.tandem.ha.config.HaResourcesParser;
import org.tandem.ha.config.NodeName;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.config.ThisNode;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.config.RouteTable;
import org.tandem.ha.takeover.ClusterNode;
import org.tandem.ha.takeover.ClusterNodes;
import org.tandem.server.control.ClusterControl;
import org.tandem.server.net.ConnectionAddress;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
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
    public record Started(ClusterNode node, ReservationReplication reservations, TargetGroupResources resources,
                          TargetCatalog catalog, List<ResourceGroup> groups) {
        /**
         * After a reload or the admin endpoint added LUNs, opened in standby: every LUN gets its reservation mirror
         * before any can change, then those of groups served here (and of targets no group can claim) come online.
         * The group steps decide, not the group's state read beforehand: a group releasing here may have taken
         * its targets offline already, or one starting may not have brought them online yet.
         */
        /** The node, as the target's control sees it. */
        public ClusterControl control() {
            return new ClusterNodeControl(node);
        }

        public void lunsAdded() {
            TargetGroupResources.standbyUnclaimed(catalog, groups); // warns of a target added under iscsitarget
            reservations.attach();
            resources.bringOnlineAdded(groups);
        }
    }

    /** The cluster files of a directory, read and checked against this node and the targets of ietd.conf. */
    public record ClusterFiles(HaConfig config, AuthKeys keys, List<ResourceGroup> groups) {
    }

    /**
     * Reads ha.cf, authkeys and haresources and checks them against this node's name, its routes and the targets
     * ietd.conf defines (in file order), without starting anything: what start-up does first, and all that
     * {@code tandemd --check} does.
     *
     * @throws HaConfigException naming the file, and the line where there is one, with the fix
     */
    public static ClusterFiles read(Path dir, String node, List<String> ietdTargets) throws HaConfigException {
        HaConfig config = HaCfParser.read(dir.resolve("ha.cf"));
        AuthKeys keys = AuthKeys.read(dir.resolve("authkeys"));
        List<ResourceGroup> groups = HaResourcesParser.read(dir.resolve("haresources"), config,
                new ThisNode(routes(new CommandRunner()), ietdTargets));
        if (!config.nodes().contains(NodeName.of(node))) {
            throw new HaConfigException(dir.resolve("ha.cf") + ": this node is '" + node + "', which is not among"
                    + " the node lines " + config.nodes() + " (pass --node NAME, or name the host so)");
        }
        return new ClusterFiles(config, keys, groups);
    }

    /**
     * Which targets' LUN stores follow the role (open only while their group is served here): those of the groups,
     * and when a group takes every unnamed target (IET's {@code iscsitarget}), every target, since one added later
     * by a reload is left in standby on both nodes ({@link TargetGroupResources#standbyUnclaimed}) and must not
     * hold its device meanwhile.
     */
    public static Predicate<String> followsRole(List<ResourceGroup> groups) {
        if (groups.stream().anyMatch(ResourceGroup::everyUnnamedTarget)) {
            return name -> true;
        }
        return name -> groups.stream().anyMatch(g -> g.targets().stream().anyMatch(name::equalsIgnoreCase));
    }

    /** The group of the given name that holds a target, or null (iSCSI names ignore case). */
    public static String groupOf(List<ResourceGroup> groups, String target) {
        return groups.stream().filter(g -> g.targets().stream().anyMatch(target::equalsIgnoreCase))
                .map(ResourceGroup::name).findFirst().orElse(null);
    }

    public static Started start(Path dir, String node, TargetCatalog catalog,
                                Supplier<List<ConnectionAddress>> connections) throws HaConfigException, IOException {
        return start(read(dir, node, catalog.targets().stream().map(IscsiTarget::name).toList()), node, catalog,
                connections);
    }

    /** Starts a cluster node from files already read (and checked against this catalog's targets). */
    public static Started start(ClusterFiles files, String node, TargetCatalog catalog,
                                Supplier<List<ConnectionAddress>> connections) throws IOException {
        HaConfig config = files.config();
        AuthKeys keys = files.keys();
        List<ResourceGroup> groups = files.groups();
        TargetGroupResources.standby(catalog, groups);
        ReservationReplication reservations = new ReservationReplication(catalog, groups);
        ClusterNodes.Built<TargetGroupResources> built = ClusterNodes.build(config, keys, groups, node,
                timers -> new TargetGroupResources(catalog, reservations, timers),
                () -> tcpConnections(connections.get()));
        ClusterNode cluster = built.node();
        reservations.join(cluster); // before it starts: the peer's first reservation copies find their listener
        cluster.start(built.holdings());
        return new Started(cluster, reservations, built.targets(), catalog, groups);
    }

    /** The IPv4 connections among these, as the heartbeats carry them to the peer (for its tickle). */
    static List<TcpConnection> tcpConnections(List<ConnectionAddress> connections) {
        List<TcpConnection> all = new ArrayList<>();
        for (ConnectionAddress c : connections) {
            if (c.local().getAddress() instanceof Inet4Address local
                    && c.remote().getAddress() instanceof Inet4Address remote) {
                all.add(new TcpConnection(TcpConnection.address(local.getAddress()), c.local().getPort(),
                        TcpConnection.address(remote.getAddress()), c.remote().getPort()));
            }
        }
        return all;
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
