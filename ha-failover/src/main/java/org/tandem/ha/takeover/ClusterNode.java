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
import org.tandem.ha.heartbeat.HeartbeatPacket;
import org.tandem.ha.heartbeat.NodeState;
import org.tandem.ha.heartbeat.ReplayGuard;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.ha.membership.Membership;
import org.tandem.ha.membership.MembershipEvent;
import org.tandem.ha.replication.ReplicatedRecords;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One cluster node at run time. All cluster state lives on one thread ("tandem-cluster"): heartbeats received,
 * clock ticks, decisions. Slow steps (fencing, DRBD, the target, ip) run one at a time on another thread and
 * report back, so heartbeats keep flowing while a takeover runs. Pings run on a third thread.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(ClusterNode.class);

    private final HaConfig config;
    private final List<ResourceGroup> groups;
    private final String self;
    private final String peer;
    private final PeerChannel channel;
    private final GroupResources resources;
    private final GroupLifecycle lifecycle;
    private final FencingStep fencing;
    private final PingMonitor ping;
    private final int localPort;
    private final int peerPort;
    private final Supplier<List<TcpConnection>> localConnections;
    /** Timers and background work of the node's resources; closed after the last step ran. */
    private final NodeExecutors executors;
    private List<TcpConnection> peerConnections = List.of();
    /** Beyond deadtime, how long a replicated record may wait: the fence delay and the fencing command. */
    private static final long REPLICATION_GRACE_MILLIS = 15_000;
    private final ScheduledExecutorService cluster = thread("tandem-cluster", Thread.MAX_PRIORITY);
    private final AtomicBoolean connectionsPending = new AtomicBoolean();
    private final ScheduledExecutorService steps = thread("tandem-cluster-steps", Thread.NORM_PRIORITY);
    private final ScheduledExecutorService pinger = thread("tandem-ping", Thread.NORM_PRIORITY);
    private final long generation = System.currentTimeMillis();
    private final Map<String, GroupState> here = new LinkedHashMap<>();
    private final Set<String> declined = new HashSet<>();
    private final ReplicatedRecords records = new ReplicatedRecords();
    /** The peer's group statuses in its newest packet, to see a group become DECLINED there. */
    private Map<String, HeartbeatPacket.GroupStatus> peerGroups = Map.of();
    private final Set<String> busy = new HashSet<>();
    /** Who waits for groups' steps to settle (a switchover, a leave): each says when it is done; cluster thread. */
    private final List<BooleanSupplier> waiting = new ArrayList<>();
    private final StartBackoff backoff = new StartBackoff();
    /** Groups the planner holds offline, with why, as last logged. */
    private Map<String, String> held = Map.of();
    private Membership membership;
    private NodeState state = NodeState.STARTING;
    private boolean peerFenced;
    private ClusterStatus.Takeover last;
    private final StatusPublisher status;
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
        this.lifecycle = new GroupLifecycle(resources);
        this.fencing = new FencingStep(peer, config.fenceDelay(this.self).toMillis(), fencer, cluster, steps,
                new FencingStep.Outcomes() {
                    @Override
                    public void fenced() {
                        peerFenced = membership.peer() == Membership.PeerStatus.DEAD;
                        if (peerFenced) {
                            records.peerGone();
                        }
                        evaluate();
                    }

                    @Override
                    public void evaluate() {
                        ClusterNode.this.evaluate();
                    }
                });
        this.ping = ping;
        this.localPort = localPort;
        this.peerPort = peerPort;
        this.localConnections = localConnections;
        this.executors = executors;
        groups.forEach(g -> here.put(g.name(), GroupState.OFFLINE));
    }

    private static ScheduledExecutorService thread(String name, int priority) {
        return NodeExecutors.single(name, priority);
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
            List<ClusterStatus.GroupView> views = groups.stream().map(g -> new ClusterStatus.GroupView(g.name(),
                    g.preferredNode(), GroupState.OFFLINE.name(), "-", g.targets())).toList();
            status.publish(new ClusterStatus(self, "OUT (" + o.refusal() + ")", ping.status().name(), peer,
                    "UNKNOWN", "-", "-", List.of(), views, null, 0));
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
            // The peer has just declined a group we declined: it hands it back (a failback after a switchover).
            // Only the change counts: our own decline is older than the peer's, and a decline the peer already
            // showed when we declined must not cancel ours, or both would clear and the group would bounce back.
            Map<String, HeartbeatPacket.GroupStatus> before = peerGroups;
            peerGroups = fresh.packet().groups();
            peerGroups.forEach((g, st) -> {
                if (st == HeartbeatPacket.GroupStatus.DECLINED && before.get(g) != HeartbeatPacket.GroupStatus.DECLINED
                        && declined.remove(g)) {
                    LOG.info("cluster: peer {} hands group {} back", peer, g);
                }
            });
            fencing.peerSpoke();
            fresh.packet().acks().forEach(records::acknowledged);
            fresh.packet().records().forEach(r -> channel.acknowledge(records.received(r)));
            // Keep the connections the peer had while it served: its last packets after a release list none, but
            // those are the ones to tickle once we take the address.
            if (fresh.packet().groups().values().stream().anyMatch(st -> st == HeartbeatPacket.GroupStatus.SERVING)) {
                peerConnections = fresh.packet().connections();
            }
        }
        handle(membership.onPacket(link, fresh.packet(), fresh.verdict(), now));
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
        handle(membership.tick(now));
        if (state == NodeState.STARTING && membership.peer() != Membership.PeerStatus.UNKNOWN) {
            state = NodeState.ACTIVE;
            LOG.info("cluster: node {} active (peer {} {})", self, peer, membership.peer());
        }
        evaluate();
        publishStatus();
    }

    private void handle(List<MembershipEvent> events) {
        for (MembershipEvent e : events) {
            if (e instanceof MembershipEvent.LinkUp u) {
                LOG.info("cluster: link {} up", channel.links().get(u.link()));
            } else if (e instanceof MembershipEvent.LinkDown d) {
                LOG.warn("cluster: link {} down (silent {} ms)", channel.links().get(d.link()), d.silentMillis());
            } else if (e instanceof MembershipEvent.PeerLate l) {
                LOG.warn("cluster: late heartbeat from {} ({} ms)", peer, l.silentMillis());
            } else if (e instanceof MembershipEvent.PeerAlive a) {
                peerFenced = false;
                fencing.peerAlive(); // a peer that speaks again is not fenced; a later death starts afresh
                records.peerRestarted();
                LOG.info("cluster: peer {} alive{} ({}, groups {})", peer, a.restarted() ? " (restarted)" : "",
                        a.packet().state(), a.packet().groups());
            } else if (e instanceof MembershipEvent.PeerDead d) {
                declined.clear();
                peerGroups = Map.of();
                if (!config.fencing().configured()) {
                    records.peerGone(); // the operator chose no fencing: dead is taken to be gone
                }
                LOG.error("cluster: peer {} dead: {} ({} ms without a valid heartbeat)", peer,
                        d.neverSeen() ? "never heard since start" : "silent on every link", d.silentMillis());
            }
        }
    }

    // ---- deciding and acting -------------------------------------------------------------------------------------

    private ClusterView view() {
        return new ClusterView(self, state, ping.status(), membership.peer(), membership.lastPacket(), peerFenced,
                fencing.running(), Map.copyOf(here), Set.copyOf(declined), groups, config.autoFailback());
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
            } else if (a instanceof Action.Start st && mayStart(st.group(), view, now)) {
                run(st.group(), true, st.reason());
            } else if (a instanceof Action.Release r) {
                run(r.group(), false, r.reason());
            } else if (a instanceof Action.Hold h) {
                holds.put(h.group(), h.reason());
            }
        }
        logHolds(holds);
    }

    /** Whether a start the planner wants may run now, or must wait after failed starts ({@link StartBackoff}). */
    private boolean mayStart(String group, ClusterView view, long now) {
        StartBackoff.Situation situation = StartBackoff.Situation.of(view, group);
        if (backoff.changedSinceFailure(group, situation)) {
            LOG.info("cluster: group {}: the peer, fencing, the ping nodes or the peer's part in the group changed"
                    + " since its start failed; trying again now", group);
        }
        return backoff.allows(group, now, situation);
    }

    /**
     * Logs a group held offline once when the hold begins (or its reason changes) and once when it ends, however
     * often the planner says so meanwhile.
     */
    private void logHolds(Map<String, String> holds) {
        holds.forEach((group, reason) -> {
            if (!reason.equals(held.get(group))) {
                LOG.warn("cluster: group {} stays OFFLINE: {} (ping nodes {})", group, reason, ping.nodes());
            }
        });
        held.keySet().stream().filter(g -> !holds.containsKey(g)).forEach(g -> LOG.info("cluster: group {} no"
                + " longer held back (ping {}, peer {}, node {})", g, ping.status(), membership.peer(), state));
        held = holds;
    }

    private void run(String name, boolean start, String reason) {
        if (!busy.add(name)) {
            return;
        }
        ResourceGroup g = group(name);
        here.put(name, start ? GroupState.STARTING : GroupState.RELEASING);
        LOG.info("cluster: {} group {} ({})", start ? "starting" : "releasing", name, reason);
        boolean fenced = start && peerFenced;
        StepTiming fenceStep = fenced ? fencing.last() : null;
        List<TcpConnection> tickle = start ? peerConnections : List.of();
        Instant at = Instant.now();
        sendHeartbeat();
        steps.execute(() -> {
            long t0 = System.nanoTime();
            GroupLifecycle.Outcome o = start ? lifecycle.start(g, tickle, fenced) : lifecycle.release(g);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            cluster.execute(() -> {
                busy.remove(name);
                here.put(name, o.state());
                waiting.removeIf(BooleanSupplier::getAsBoolean);
                List<StepTiming> all = new ArrayList<>();
                if (fenceStep != null) {
                    all.add(fenceStep);
                }
                all.addAll(o.steps());
                last = new ClusterStatus.Takeover(name, start ? "start" : "release", reason, at.toString(),
                        ms + (fenceStep == null ? 0 : fenceStep.millis()), List.copyOf(all));
                List<String> steps = o.steps().stream()
                        .map(s -> s.step() + " " + s.millis() + " ms" + (s.ok() ? "" : " FAILED")).toList();
                if (start && o.state() == GroupState.OFFLINE) {
                    // Undone: the planner would start it again at once, and fail again; wait, longer each time.
                    Duration wait = backoff.failed(name, System.nanoTime(), StartBackoff.Situation.of(view(), name));
                    LOG.warn("cluster: group {} did not start (failure {} in a row, {} ms: {}); retrying in {} s, or"
                            + " as soon as the peer, fencing or the ping nodes change", name, backoff.failures(name),
                            ms, steps, wait.toSeconds());
                    cluster.schedule(this::evaluate, wait.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    if (start && o.state() == GroupState.SERVING) {
                        backoff.succeeded(name);
                    }
                    LOG.info("cluster: group {} {} in {} ms: {}", name, o.state(), ms, steps);
                }
                sendHeartbeat();
                evaluate();
                publishStatus();
            });
        });
    }

    private ResourceGroup group(String name) {
        for (ResourceGroup g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("no group " + name);
    }

    // ---- sending -------------------------------------------------------------------------------------------------

    private void sendHeartbeat() {
        if (!channel.opened() || closed) {
            return;
        }
        channel.send(state, ping.status(), here, declined, records.unacknowledged());
    }

    // ---- operator requests ---------------------------------------------------------------------------------------

    /**
     * Moves a group this node serves to the peer: it is released here and declined, and the peer starts it when it
     * sees that. Completes when the group is released here (the peer's start follows within a heartbeat).
     */
    public CompletableFuture<Void> switchover(String name) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        cluster.execute(() -> {
            try {
                group(name);
            } catch (IllegalArgumentException e) {
                done.completeExceptionally(e);
                return;
            }
            if (membership == null) {
                done.completeExceptionally(new IllegalStateException("this node is not in the cluster (see its log)"));
                return;
            }
            if (membership.peer() != Membership.PeerStatus.ALIVE || membership.lastPacket() == null
                    || membership.lastPacket().state() != NodeState.ACTIVE) {
                done.completeExceptionally(new IllegalStateException("peer " + peer + " is not active ("
                        + membership.peer() + "); a switchover needs it to take the group"));
                return;
            }
            if (here.get(name) != GroupState.SERVING) {
                done.completeExceptionally(new IllegalStateException("group " + name + " is " + here.get(name)
                        + " here, not SERVING; run the switchover on the node that serves it"));
                return;
            }
            declined.add(name);
            LOG.info("cluster: switchover of group {} to {} requested", name, peer);
            evaluate();
            waitReleased(name, done);
        });
        return done;
    }

    /** Completes {@code done} when the group is released here, or fails it if the release fails or takes 60 s. */
    private void waitReleased(String name, CompletableFuture<Void> done) {
        BooleanSupplier released = () -> {
            GroupState s = here.get(name);
            if (s == GroupState.OFFLINE) {
                done.complete(null);
            } else if (s == GroupState.FAILED) {
                done.completeExceptionally(new IllegalStateException("group " + name + " did not release: " + s));
            }
            return done.isDone();
        };
        if (!released.getAsBoolean()) {
            waiting.add(released);
            cluster.schedule(() -> {
                done.completeExceptionally(new IllegalStateException("group " + name + " did not release: "
                        + here.get(name)));
            }, 60, TimeUnit.SECONDS);
        }
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
            if (peerFenced || (!config.fencing().configured() && membership.peer() == Membership.PeerStatus.DEAD)) {
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

    /**
     * Runs {@code action} on the cluster thread with each group's state here, and waits for it (bounded): no
     * group starts or finishes starting meanwhile, so the action may act on what it sees (put LUNs of groups
     * not served here into standby, say).
     */
    public void withGroupStates(Consumer<Map<String, GroupState>> action) {
        try {
            cluster.submit(() -> action.accept(Map.copyOf(here))).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("cluster: stopped; group states not consulted");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("cluster: could not act on the groups' states: {}", e.toString());
        }
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

    /** Releases every group (shutdown): waits, bounded, until none is held here. */
    public void leave(long timeoutMillis) {
        CompletableFuture<Void> left = new CompletableFuture<>();
        cluster.execute(() -> {
            state = NodeState.LEAVING;
            LOG.info("cluster: node {} leaving; releasing its groups", self);
            evaluate();
            sendHeartbeat();
            BooleanSupplier allOffline = () -> {
                if (here.values().stream().allMatch(s -> s == GroupState.OFFLINE)) {
                    left.complete(null);
                }
                return left.isDone();
            };
            if (!allOffline.getAsBoolean()) {
                waiting.add(allOffline);
            }
        });
        try {
            left.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("cluster: leaving with groups still held here: {}", e.toString());
        }
    }

    public ClusterStatus status() {
        return status.status();
    }

    private void publishStatus() {
        if (membership != null) {
            status.publish(view(), membership, channel.links(), last, channel.dropped());
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
