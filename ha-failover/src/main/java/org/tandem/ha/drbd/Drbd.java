package org.tandem.ha.drbd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.exec.CommandRunner;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Drives DRBD through drbdadm and reads its state: {@code drbdsetup status RES --json} on DRBD 9, falling back to
 * {@code drbdadm role|dstate|cstate RES} on 8.x (where drbdsetup has no --json). Promotion is verified by reading
 * the role back: a node never serves a LUN whose resource did not become Primary.
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
    private final Duration timeout;

    public Drbd(CommandRunner runner, String drbdadm, String drbdsetup, Duration timeout) {
        this.runner = runner;
        this.drbdadm = drbdadm;
        this.drbdsetup = drbdsetup;
        this.timeout = timeout;
    }

    public DrbdStatus status(String resource) throws DrbdException {
        CommandRunner.Result r = runner.run(List.of(drbdsetup, "status", resource, "--json"), timeout);
        if (r.ok()) {
            return parseJson(resource, r.output());
        }
        LOG.debug("drbdsetup --json unavailable ({}); reading DRBD 8 state", r.describe());
        String role = field(List.of(drbdadm, "role", resource));
        String disk = field(List.of(drbdadm, "dstate", resource));
        String connection = field(List.of(drbdadm, "cstate", resource)).strip();
        return parse8(resource, role, disk, connection);
    }

    /** {@code drbdadm primary RES}, then checks that the role is Primary. */
    public DrbdStatus promote(String resource) throws DrbdException {
        DrbdStatus before = status(resource);
        if (before.primary()) {
            return before;
        }
        if (!before.upToDate()) {
            throw new DrbdException("refusing to promote " + resource + ": its disk is " + before.diskState()
                    + ", not UpToDate (the newest data may be on the peer)");
        }
        CommandRunner.Result r = runner.run(List.of(drbdadm, "primary", resource), timeout);
        if (!r.ok()) {
            throw new DrbdException("cannot promote " + resource + ": " + r.describe());
        }
        DrbdStatus after = status(resource);
        if (!after.primary()) {
            throw new DrbdException(resource + " is still " + after.role() + " after drbdadm primary");
        }
        return after;
    }

    /** {@code drbdadm secondary RES}, then checks that the role is no longer Primary. */
    public DrbdStatus demote(String resource) throws DrbdException {
        CommandRunner.Result r = runner.run(List.of(drbdadm, "secondary", resource), timeout);
        if (!r.ok()) {
            throw new DrbdException("cannot demote " + resource + ": " + r.describe());
        }
        DrbdStatus after = status(resource);
        if (after.primary()) {
            throw new DrbdException(resource + " is still Primary after drbdadm secondary");
        }
        return after;
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
        String worst = null;
        for (JsonNode d : devices) {
            String s = d.path(field).asText("DUnknown");
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
