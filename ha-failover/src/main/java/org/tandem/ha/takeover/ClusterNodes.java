package org.tandem.ha.takeover;

import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.drbd.Drbd;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.fencing.Fencer;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.ip.FloatingIp;
import org.tandem.ha.ip.Tickle;
import org.tandem.ha.lvm.VolumeGroups;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds a real cluster node: its threads, DRBD through drbdadm (30 s a command), LVM through vgchange (30 s), the
 * floating addresses through ip and arping (10 s, three gratuitous ARPs), the fencing command (60 s), the ping nodes
 * (500 ms), and the target's side that the caller provides.
 */
public final class ClusterNodes {
    private ClusterNodes() {
    }

    /**
     * A node built and not started, the target's side it drives, and what this node holds now (for
     * {@link ClusterNode#start(LocalHoldings)}).
     */
    public record Built<T extends ServedTargets>(ClusterNode node, T targets, LocalHoldings holdings) {
    }

    /**
     * @param targets     the target's side, given the node's timer thread (for the delayed session ends)
     * @param connections the initiators' IPv4 connections to this node now
     */
    public static <T extends ServedTargets> Built<T> build(HaConfig config, AuthKeys keys, List<ResourceGroup> groups,
                                                           String node, Function<ScheduledExecutorService, T> targets,
                                                           Supplier<List<TcpConnection>> connections) {
        CommandRunner runner = new CommandRunner();
        Duration step = Duration.ofSeconds(30);
        NodeExecutors executors = NodeExecutors.start(); // the node closes them
        Drbd drbd = new Drbd(runner, "drbdadm", "drbdsetup", Path.of("/proc/drbd"), step, executors.background());
        VolumeGroups lvm = new VolumeGroups(runner, "vgchange", "lvs", step);
        FloatingIp ip = new FloatingIp(runner, "ip", "arping", Duration.ofSeconds(10), 3, executors.background());
        Fencer fencer = new Fencer(config.fencing(), runner, Duration.ofSeconds(60));
        T served = targets.apply(executors.timers());
        ClusterResources resources = new ClusterResources(drbd, lvm, ip, new Tickle(executors.timers()), served);
        ClusterNode cluster = new ClusterNode(config, groups, keys, node, resources, fencer,
                new PingMonitor(config.pingNodes(), 500), config.udpPort(), config.udpPort(), connections, executors);
        return new Built<>(cluster, served, resources.holdings());
    }
}
