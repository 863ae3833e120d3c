package org.tandem.ha.drbd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.exec.CommandRunner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Drives DRBD through drbdadm and reads its state with as few processes as it can, since every one is time a
 * takeover waits (a JVM's fork in a small guest costs tens of milliseconds):
 * <ul>
 * <li>DRBD 8.x: {@code /proc/drbd}, no process at all, for the resource's minors ({@code drbdadm sh-minor RES},
 * asked once per resource);</li>
 * <li>DRBD 9: {@code drbdsetup status RES --json};</li>
 * <li>otherwise, and when {@code /proc/drbd} does not list a minor: {@code drbdadm role|dstate|cstate RES}. Once
 * drbdsetup has failed to give JSON where that path worked, it is not asked again.</li>
 * </ul>
 * Promotion is verified by reading the role back: a node never serves a LUN whose resource did not become Primary.
 */
public final class Drbd {
    private static final Logger LOG = LogManager.getLogger(Drbd.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Disk states from worst to best, for resources with several volumes. */
    private static final List<String> DISK_ORDER = List.of("Diskless", "Attaching", "Detaching", "Failed",
            "Negotiating", "Inconsistent", "Outdated", "DUnknown", "Consistent", "UpToDate");

    private final CommandRunner runner;
    private final String drbdadm;
    private final String drbdsetup;
    private final Path procDrbd;
    private final Duration timeout;
    /** Runs the {@code drbdadm connect} after a forced disconnect, which the takeover need not wait for. */
    private final Executor reconnects;
    /** Each resource's minors: fixed while it is configured, so asked once per run of the daemon. */
    private final Map<String, List<Integer>> minors = new ConcurrentHashMap<>();
    /** False once drbdsetup gave no JSON where drbdadm's 8.x answers worked: an 8.x drbdsetup never will. */
    private volatile boolean json = true;

    /** With DRBD's proc file at {@code procDrbd} and the reconnect run in the caller's thread (tests). */
    public Drbd(CommandRunner runner, String drbdadm, String drbdsetup, Path procDrbd, Duration timeout) {
        this(runner, drbdadm, drbdsetup, procDrbd, timeout, Runnable::run);
    }

    /**
     * @param procDrbd   {@code /proc/drbd} on a real node
     * @param reconnects runs the {@code drbdadm connect} after a forced disconnect (the node's background threads):
     *                   rare (once per takeover after a fence) and short (one drbdadm), but a takeover need not wait
     */
    public Drbd(CommandRunner runner, String drbdadm, String drbdsetup, Path procDrbd, Duration timeout,
                Executor reconnects) {
        this.runner = runner;
        this.drbdadm = drbdadm;
        this.drbdsetup = drbdsetup;
        this.procDrbd = procDrbd;
        this.timeout = timeout;
        this.reconnects = reconnects;
    }

    public DrbdStatus status(String resource) throws DrbdException {
        Optional<ProcDrbd> proc = readProc();
        if (proc.isPresent() && proc.get().drbd8()) {
            Optional<DrbdStatus> s = fromProc(resource, proc.get());
            return s.isPresent() ? s.get() : fromDrbdadm(resource);
        }
        if (!json) {
            return fromDrbdadm(resource);
        }
        CommandRunner.Result r = runner.run(List.of(drbdsetup, "status", resource, "--json"), timeout);
        if (r.ok()) {
            return parseJson(resource, r.output());
        }
        DrbdStatus s = fromDrbdadm(resource);
        if (!r.timedOut()) {
            json = false;
            LOG.info("DRBD: drbdsetup gives no status --json here ({}); reading DRBD 8 state with drbdadm role,"
                    + " dstate and cstate from now on", r.describe());
        }
        return s;
    }

    /**
     * Whether a promote must first drop DRBD's connection with {@code drbdadm disconnect --force}: only when the
     * peer is fenced (its power confirmed off) and DRBD still counts it as connected. Then DRBD is merely slow to
     * notice (ping-int + ping-timeout) and would refuse a second Primary meanwhile. With a peer that may be alive
     * (a planned switchover, a peer seen releasing) never: a refused promote is the right answer there.
     */
    static boolean forcedDisconnectNeeded(DrbdStatus before, boolean peerFenced) {
        return peerFenced && before.connectedToPeer();
    }

    /**
     * {@code drbdadm primary RES}, then checks that the role is Primary. With {@code peerFenced} (the peer's power
     * is confirmed off) a connection DRBD still sees is dropped first and re-offered afterwards ({@code drbdadm
     * connect}), so that the peer, powered on again, reconnects and resyncs from this node.
     *
     * @throws DrbdException when the disk is not UpToDate, a command fails or times out, or the role read back is
     *                       not Primary
     */
    public void promote(String resource, boolean peerFenced) throws DrbdException {
        DrbdStatus before = status(resource);
        if (before.primary()) {
            return;
        }
        if (!before.upToDate()) {
            throw new DrbdException("refusing to promote " + resource + ": its disk is " + before.diskState()
                    + ", not UpToDate (the newest data may be on the peer)");
        }
        boolean disconnected = forcedDisconnectNeeded(before, peerFenced);
        if (disconnected) {
            LOG.info("DRBD {}: the peer is fenced but DRBD still sees it {} (peer {}) until ping-int + ping-timeout"
                    + " pass, and would refuse a second Primary; dropping the connection with drbdadm disconnect"
                    + " --force before promoting", resource, before.connectionState(), before.peerRole());
            CommandRunner.Result r = runner.run(List.of(drbdadm, "disconnect", "--force", resource), timeout);
            if (!r.ok()) {
                throw new DrbdException("cannot drop the fenced peer's connection before promoting " + resource
                        + ": " + r.describe());
            }
        }
        try {
            CommandRunner.Result r = runner.run(List.of(drbdadm, "primary", resource), timeout);
            if (!r.ok()) {
                throw new DrbdException("cannot promote " + resource + ": " + r.describe());
            }
        } finally {
            if (disconnected) {
                // Not awaited: the group serves without the peer either way, and in a small guest one drbdadm costs
                // a few hundred milliseconds of the takeover.
                reconnects.execute(() -> reconnect(resource));
            }
        }
        String after = role(resource);
        if (!after.equals("Primary")) {
            throw new DrbdException(resource + " is still " + after + " after drbdadm primary");
        }
    }

    /** After a forced disconnect: waits for the peer again. Not fatal: the data is served either way. */
    private void reconnect(String resource) {
        CommandRunner.Result r = runner.run(List.of(drbdadm, "connect", resource), timeout);
        if (!r.ok()) {
            LOG.warn("DRBD {}: cannot wait for the fenced peer again ({}); it will not resync from this node until"
                    + " 'drbdadm connect {}' is run here", resource, r.describe(), resource);
        }
    }

    /**
     * {@code drbdadm secondary RES}, then checks that the role is no longer Primary.
     *
     * @throws DrbdException when the command fails or times out (DRBD refuses while the device is open), or the
     *                       role read back is still Primary
     */
    public void demote(String resource) throws DrbdException {
        CommandRunner.Result r = runner.run(List.of(drbdadm, "secondary", resource), timeout);
        if (!r.ok()) {
            throw new DrbdException("cannot demote " + resource + ": " + r.describe());
        }
        if (role(resource).equals("Primary")) {
            throw new DrbdException(resource + " is still Primary after drbdadm secondary");
        }
    }

    /**
     * This node's role in the resource, all a promote or demote needs to read back: from the full status where that
     * comes from {@code /proc/drbd} or drbdsetup's JSON (where /proc/drbd lacks the resource's minor, that status
     * is drbdadm's three commands after all), else from {@code drbdadm role} alone.
     */
    private String role(String resource) throws DrbdException {
        Optional<ProcDrbd> proc = readProc();
        if (json || (proc.isPresent() && proc.get().drbd8())) {
            return status(resource).role();
        }
        return parse8(resource, field(List.of(drbdadm, "role", resource)), "DUnknown/DUnknown", "Unknown").role();
    }

    /** The proc file, or empty where there is none (DRBD not loaded, or not this host's). */
    private Optional<ProcDrbd> readProc() {
        if (!Files.exists(procDrbd)) {
            return Optional.empty();
        }
        try {
            return Optional.of(ProcDrbd.parse(Files.readString(procDrbd)));
        } catch (IOException e) {
            LOG.debug("cannot read {} ({}); asking DRBD's tools", procDrbd, e.getMessage());
            return Optional.empty();
        }
    }

    /** From 8.x's proc file; empty when a minor of the resource is not listed there (or its minors are unknown). */
    private Optional<DrbdStatus> fromProc(String resource, ProcDrbd proc) {
        Optional<List<Integer>> numbers = minors(resource);
        if (numbers.isEmpty()) {
            return Optional.empty();
        }
        List<ProcDrbd.Minor> lines = new ArrayList<>();
        for (int n : numbers.get()) {
            Optional<ProcDrbd.Minor> line = proc.minor(n);
            if (line.isEmpty()) {
                LOG.debug("{} does not list minor {} of {}; asking drbdadm", procDrbd, n, resource);
                return Optional.empty();
            }
            lines.add(line.get());
        }
        // Roles and the connection belong to the resource in 8.x (every volume's line shows the same); disk
        // states are per volume, and the worst counts.
        ProcDrbd.Minor first = lines.get(0);
        return Optional.of(new DrbdStatus(resource, first.role(),
                worst(lines.stream().map(ProcDrbd.Minor::diskState).toList()), first.peerRole(),
                worst(lines.stream().map(ProcDrbd.Minor::peerDiskState).toList()), first.connectionState()));
    }

    /** The resource's minors from {@code drbdadm sh-minor} (one per volume), remembered once known. */
    private Optional<List<Integer>> minors(String resource) {
        List<Integer> known = minors.get(resource);
        if (known != null) {
            return Optional.of(known);
        }
        CommandRunner.Result r = runner.run(List.of(drbdadm, "sh-minor", resource), timeout);
        // Only the lines that are numbers: drbdadm may print warnings with them (stderr is merged).
        List<Integer> found = r.output().lines().map(String::strip).filter(l -> l.matches("\\d{1,9}"))
                .map(Integer::valueOf).toList();
        if (!r.ok() || found.isEmpty()) {
            LOG.debug("no minors of {} from drbdadm sh-minor ({}); asking drbdadm for its state", resource,
                    r.describe());
            return Optional.empty();
        }
        minors.put(resource, found);
        return Optional.of(found);
    }

    private DrbdStatus fromDrbdadm(String resource) throws DrbdException {
        String role = field(List.of(drbdadm, "role", resource));
        String disk = field(List.of(drbdadm, "dstate", resource));
        String connection = field(List.of(drbdadm, "cstate", resource));
        return parse8(resource, role, disk, connection);
    }

    private String field(List<String> command) throws DrbdException {
        CommandRunner.Result r = runner.run(command, timeout);
        if (!r.ok()) {
            throw new DrbdException("cannot read DRBD state: " + r.describe());
        }
        return r.output().strip();
    }

    /** DRBD 9's JSON: an array of resources with devices (disk-state) and connections (peer role and disks). */
    static DrbdStatus parseJson(String resource, String text) throws DrbdException {
        try {
            JsonNode all = JSON.readTree(text);
            for (JsonNode res : all) {
                if (!res.path("name").asText().equals(resource)) {
                    continue;
                }
                String disk = worst(res.path("devices"), "disk-state");
                JsonNode connection = res.path("connections").path(0);
                String peerRole = connection.isMissingNode() ? "Unknown" : connection.path("peer-role").asText("Unknown");
                String peerDisk = connection.isMissingNode() ? "DUnknown"
                        : worst(connection.path("peer_devices"), "peer-disk-state");
                String cstate = connection.isMissingNode() ? "StandAlone"
                        : connection.path("connection-state").asText("Unknown");
                return new DrbdStatus(resource, res.path("role").asText("Unknown"), disk, peerRole, peerDisk, cstate);
            }
            throw new DrbdException("drbdsetup status does not list resource " + resource);
        } catch (IOException e) {
            throw new DrbdException("cannot read drbdsetup's JSON: " + e.getMessage());
        }
    }

    /** DRBD 8's "Primary/Secondary" and "UpToDate/UpToDate" (local/peer). */
    static DrbdStatus parse8(String resource, String role, String disk, String connection) throws DrbdException {
        String[] roles = role.split("/");
        String[] disks = disk.split("/");
        if (roles.length != 2 || disks.length != 2) {
            throw new DrbdException("unexpected DRBD 8 state for " + resource + ": role '" + role + "', dstate '"
                    + disk + "'");
        }
        return new DrbdStatus(resource, roles[0], disks[0], roles[1], disks[1], connection);
    }

    private static String worst(JsonNode devices, String field) {
        List<String> states = new ArrayList<>();
        devices.forEach(d -> states.add(d.path(field).asText("DUnknown")));
        return worst(states);
    }

    /** The worst of several volumes' disk states ("Diskless" for none). */
    private static String worst(List<String> states) {
        String worst = null;
        for (String s : states) {
            if (worst == null || rank(s) < rank(worst)) {
                worst = s;
            }
        }
        return worst == null ? "Diskless" : worst;
    }

    private static int rank(String state) {
        int i = DISK_ORDER.indexOf(state);
        return i < 0 ? -1 : i;
    }
}
