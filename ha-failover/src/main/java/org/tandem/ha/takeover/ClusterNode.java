package org.tandem.ha.takeover;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.HeartbeatLink;
import org.tandem.ha.config.NodeName;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.fencing.Fencer;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.heartbeat.ReplayGuard;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.membership.Membership;
import org.tandem.ha.replication.ReplicatedRecords;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One cluster node at run time. All cluster state lives on one thread ("tandem-cluster"): heartbeats received,
 * clock ticks, decisions. Slow steps (fencing, DRBD, the target, ip) run one at a time on another thread and
 * report back, so heartbeats keep flowing while a takeover runs. Pings run on a third thread. The parts the node
 * hands work to ({@link PeerChannel}, {@link PeerWatch}, {@link FencingStep}, {@link GroupSteps},
 * {@link OperatorRequests}, {@link HoldLog}, {@link StatusPublisher}) run on these same threads, so none needs a lock.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);

    private final HaConfig config;
    private final List<ResourceGroup> groups;
    private final String self;
    private final String peer;
    private final PeerChannel channel;
    private final GroupResources resources;
    private final FencingStep fencing;
    private final PingMonitor ping;
    private final HoldLog holdLog;
    private final int localPort;
    private final int peerPort;
    /** Timers and background work of the node's resources; closed after the last step ran. */
    private final NodeExecutors executors;
    /** Beyond deadtime, how long a replicated record may wait: the fence delay and the fencing command. */
    private static final long REPLICATION_GRACE_MILLIS = 15_000;
    private final ScheduledExecutorService cluster = NodeExecutors.single("tandem-cluster", Thread.MAX_PRIORITY);
    private final AtomicBoolean connectionsPending = new AtomicBoolean();
    private final ScheduledExecutorService steps = NodeExecutors.single("tandem-cluster-steps",
            Thread.NORM_PRIORITY);
    private final ScheduledExecutorService pinger = NodeExecutors.single("tandem-ping", Thread.NORM_PRIORITY);
    private final long generation = System.currentTimeMillis();
    private final ReplicatedRecords records = new ReplicatedRecords();
    private Membership membership;
    private NodeState state = NodeState.STARTING;
    private final StatusPublisher status;
    private final PeerWatch watch;
    private final GroupSteps groupSteps;
    private final OperatorRequests requests;
    private volatile boolean closed;

    /**
     * @param localConnections the initiators' connections to this node now (any address; those to the floating
     *                         portals of groups served here are shared with the peer)
     */
    public ClusterNode(HaConfig config, List<ResourceGroup> groups, AuthKeys keys, String self,
                       GroupResources resources, Fencer fencer, PingMonitor ping, int localPort, int peerPort,
                       Supplier<List<TcpConnection>> localConnections) {
        this(config, groups, keys, self, resources, fencer, ping, localPort, peerPort, localConnections,
                NodeExecutors.start());
    }

    /**
     * As above, with the timer and background threads the node's resources were built with (their tickle, arping
     * and DRBD reconnects); the node owns them from now on and closes them last in {@link #close()}.
     */
    public ClusterNode(HaConfig config, List<ResourceGroup> groups, AuthKeys keys, String self,
                       GroupResources resources, Fencer fencer, PingMonitor ping, int localPort, int peerPort,
                       Supplier<List<TcpConnection>> localConnections, NodeExecutors executors) {
        if (!config.nodes().contains(NodeName.of(self))) {
            throw new IllegalArgumentException("this node, " + self + ", is not in ha.cf's nodes " + config.nodes()
                    + " (set the node name to match uname -n, or pass --node)");
        }
        this.config = config;
        this.groups = List.copyOf(groups);
        this.self = NodeName.of(self); // the spelling the peer compares and haresources' preferred nodes use
        this.peer = config.peerOf(self);
        this.status = new StatusPublisher(peer);
        this.channel = new PeerChannel(this.self, generation, keys, new ReplayGuard(self, config.nodes()), this.groups,
                localConnections);
        this.resources = resources;
        Loop loop = new Loop();
        this.fencing = new FencingStep(peer, config.fenceDelay(this.self).toMillis(), fencer, cluster, steps, loop);
        this.watch = new PeerWatch(peer, config.fencing().configured(), fencing, records, channel::links);
        this.ping = ping;
        this.holdLog = new HoldLog(ping);
        this.localPort = localPort;
        this.peerPort = peerPort;
        this.executors = executors;
        this.groupSteps = new GroupSteps(this.groups, new GroupLifecycle(resources), fencing, cluster, steps, loop);
        this.requests = new OperatorRequests(this.self, peer, cluster, groupSteps, loop);
    }

    /** The actor loop as the node's parts see it; only ever called on the cluster thread. */
    private final class Loop implements NodeLoop, FencingStep.Outcomes {
        @Override
        public void fenced() {
            watch.fenceConfirmed(membership.peer() == Membership.PeerStatus.DEAD);
            evaluate();
        }

        @Override
        public ClusterView view() {
            return membership == null ? null : ClusterNode.this.view();
        }

        @Override
        public void evaluate() {
            ClusterNode.this.evaluate();
        }

        @Override
        public void sendHeartbeat() {
            ClusterNode.this.sendHeartbeat();
        }

        @Override
        public void publishStatus() {
            ClusterNode.this.publishStatus();
        }

        @Override
        public void decline(String group) {
            watch.decline(group);
        }

        @Override
        public void leaving() {
            state = NodeState.LEAVING;
        }
    }

    /**
     * Starts after removing what an earlier run of this node left up ({@link LeftoverCleanup}): a daemon restarted
     * after a crash must not join while it still holds a floating address or a Primary role it no longer knows of.
     * If something left over cannot be removed, the node stays out of the cluster (no heartbeats, every group
     * offline here) and says so: the peer then declares it dead and fences it. Returns whether the node started.
     */
    public boolean start(LocalHoldings holdings) throws IOException {
        LeftoverCleanup.Outcome o = LeftoverCleanup.run(groups, holdings, resources);
        if (!o.clean()) {
            LOG.error("cluster: node {} stays out of the cluster: {}; sending no heartbeats, so that peer {} declares"
                    + " this node dead and fences it (to join, remove the leftover by hand, e.g. close what holds the"
                    + " DRBD device and run 'drbdadm secondary RES' and 'ip addr del ADDRESS dev IFACE', then restart"
                    + " the daemon)", self, o.refusal(), peer);
            status.publishOut(self, o.refusal(), ping.status(), groups);
            return false;
        }
        if (!o.removed().isEmpty()) {
            LOG.info("cluster: node {}: removed what an earlier run left up here: {}", self, o.removed());
        }
        start();
        return true;
    }

    public void start() throws IOException {
        // A datagram the receiver hands over while the node stops is dropped quietly: a stop is no fault.
        channel.open(config.links(), localPort, peerPort, (link, data) -> onClusterThread(() -> receive(link, data)));
        List<HeartbeatLink> links = channel.links();
        long now = System.nanoTime();
        cluster.execute(() -> {
            membership = new Membership(config, links.size(), now);
            LOG.info("cluster: node {} (generation {}) starting; peer {}; {} link(s) {}; deadtime {} ms, initdead {}"
                    + " ms; groups {}", self, generation, peer, links.size(), links, config.deadtime().toMillis(),
                    config.initdead().toMillis(), groups.stream().map(ResourceGroup::name).toList());
            publishStatus();
        });
        long keepalive = config.keepalive().toMillis();
        cluster.scheduleAtFixedRate(this::sendHeartbeat, 0, keepalive, TimeUnit.MILLISECONDS);
        cluster.scheduleAtFixedRate(this::tick, keepalive / 2, Math.max(20, keepalive / 4), TimeUnit.MILLISECONDS);
        pinger.scheduleWithFixedDelay(ping::check, 0, Math.max(1000, keepalive), TimeUnit.MILLISECONDS);
    }

    // ---- receiving and time --------------------------------------------------------------------------------------

    private void receive(int link, byte[] data) {
        if (membership == null || closed) {
            return;
        }
        PeerChannel.Received fresh = channel.accept(link, data);
        if (fresh == null) {
            return;
        }
        long now = System.nanoTime();
        if (fresh.verdict() == ReplayGuard.Verdict.NEW) {
            watch.newPacket(fresh.packet());
            fencing.peerSpoke();
            fresh.packet().acks().forEach(records::acknowledged);
            fresh.packet().records().forEach(r -> channel.acknowledge(records.received(r)));
        }
        watch.handle(membership.onPacket(link, fresh.packet(), fresh.verdict(), now));
        if (channel.acksPending()) {
            sendHeartbeat(); // the peer's command waits for this acknowledgement
        }
        evaluate();
    }

    private void tick() {
        if (membership == null || closed) {
            return;
        }
        long now = System.nanoTime();
        watch.handle(membership.tick(now));
        if (state == NodeState.STARTING && membership.peer() != Membership.PeerStatus.UNKNOWN) {
            state = NodeState.ACTIVE;
            LOG.info("cluster: node {} active (peer {} {})", self, peer, membership.peer());
        }
        evaluate();
        publishStatus();
    }

    // ---- deciding and acting -------------------------------------------------------------------------------------

    private ClusterView view() {
        return new ClusterView(self, state, ping.status(), membership.peer(), membership.lastPacket(),
                watch.fenced(), fencing.running(), Map.copyOf(groupSteps.states()), Set.copyOf(watch.declined()),
                groups, config.autoFailback());
    }

    private void evaluate() {
        if (membership == null || closed) {
            return;
        }
        ClusterView view = view();
        long now = System.nanoTime();
        Map<String, String> holds = new LinkedHashMap<>();
        for (Action a : Planner.plan(view)) {
            if (a instanceof Action.FencePeer f) {
                if (fencing.mayStart(now)) {
                    fencing.start(f.reason());
                }
            } else if (a instanceof Action.Start st && groupSteps.mayStart(st.group(), view, now)) {
                groupSteps.start(st.group(), st.reason(), watch.fenced(), watch.connections());
            } else if (a instanceof Action.Release r) {
                groupSteps.release(r.group(), r.reason());
            } else if (a instanceof Action.Hold h) {
                holds.put(h.group(), h.reason());
            }
        }
        holdLog.holds(holds, membership.peer(), state);
    }

    // ---- sending -------------------------------------------------------------------------------------------------

    private void sendHeartbeat() {
        if (!channel.opened() || closed) {
            return;
        }
        channel.send(state, ping.status(), groupSteps.states(), watch.declined(), records.unacknowledged());
    }

    // ---- operator requests ---------------------------------------------------------------------------------------

    /**
     * Moves a group this node serves to the peer: it is released here and declined, and the peer starts it when it
     * sees that. Completes when the group is released here (the peer's start follows within a heartbeat).
     */
    public CompletableFuture<Void> switchover(String name) {
        return requests.switchover(name);
    }

    /** Releases every group (shutdown): waits, bounded, until none is held here. */
    public void leave(long timeoutMillis) {
        requests.leave(timeoutMillis);
    }

    // ---- the target's requests -----------------------------------------------------------------------------------

    /**
     * Runs {@code action} on the cluster thread with each group's state here, and waits for it (bounded): no
     * group starts or finishes starting meanwhile, so the action may act on what it sees (put LUNs of groups
     * not served here into standby, say).
     */
    public void withGroupStates(Consumer<Map<String, GroupState>> action) {
        requests.withGroupStates(action);
    }

    /**
     * Copies a record (a LUN's persistent reservations) to the peer; the future completes once the peer holds it,
     * or once the peer is fenced (or dead, with fencing none): then nobody else can serve the LUN meanwhile, and
     * the record goes to the peer when it returns. It fails if neither happens within the bound (deadtime plus
     * fencing time): the command that changed the record must not report success then.
     */
    public CompletableFuture<Void> replicate(String key, byte[] payload) {
        CompletableFuture<Void> done = records.publish(key, payload);
        boolean queued = onClusterThread(() -> {
            if (membership == null || closed) {
                return;
            }
            if (watch.gone(membership.peer())) {
                records.peerGone();
            } else {
                sendHeartbeat();
            }
        });
        if (!queued) {
            done.completeExceptionally(new IllegalStateException("the cluster node has stopped"));
        }
        return done.orTimeout(config.deadtime().toMillis() + REPLICATION_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The replicated records held here (published or received from the peer). */
    public ReplicatedRecords records() {
        return records;
    }

    /**
     * The initiators' connections here changed (one opened or closed): send a heartbeat now rather than at the
     * next keepalive, so the peer's list to tickle after a takeover is never a keepalive behind. Bursts of changes
     * make one packet. Safe from any thread; never blocks.
     */
    public void connectionsChanged() {
        if (connectionsPending.compareAndSet(false, true)) {
            onClusterThread(() -> {
                connectionsPending.set(false);
                if (membership != null && !closed) {
                    sendHeartbeat();
                }
            });
        }
    }

    /**
     * Queues work from another thread; false once the node has stopped (the iSCSI server closes its connections
     * after the cluster node at shutdown, and a rejected task must not surface as an exception there).
     */
    private boolean onClusterThread(Runnable work) {
        if (closed) {
            return false;
        }
        try {
            cluster.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    public ClusterStatus status() {
        return status.status();
    }

    private void publishStatus() {
        if (membership != null) {
            status.publish(view(), membership, channel.links(), groupSteps.last(), channel.dropped());
        }
    }

    @Override
    public void close() {
        closed = true;
        fencing.close();
        cluster.shutdownNow();
        pinger.shutdownNow();
        steps.shutdown();
        try {
            steps.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        channel.close();
        executors.close(); // after the steps: a release's delayed session end is scheduled by its last step
    }
}
