package org.tandem.ha.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Heartbeat's ha.cf directives (the Directives[] and WLdirectives[] tables of its config.c, 2.1.x and 3.0.x, and
 * its HBcomm media plugins) that Tandem does not honour: the ones accepted with a warning saying why they have no
 * effect here, and the ones refused because ignoring them would silently change what the cluster does, each with
 * what to write instead. The directives Tandem honours are read by {@link HaCfParser} itself.
 */
final class HeartbeatDirectives {
    /**
     * Directives whose value Heartbeat hands whole to one parse function, split on white space only: commas are
     * part of the words there (ucast, mcast and ping_group have such plugin parse functions; stonith, stonith_host,
     * apiauth, respawn and failfast are Heartbeat's whole-line directives; fence_command is Tandem's own).
     */
    static final Set<String> WHOLE_LINE = Set.of("ucast", "mcast", "mcast6", "ucast6", "ping_group", "stonith",
            "stonith_host", "apiauth", "respawn", "failfast", "fence_command");

    private static final String LOG4J = "Tandem logs through Log4j 2 (etc/log4j2.xml)";
    private static final String REALTIME = "Tandem runs in a JVM and does not ask for real-time scheduling (set"
            + " CPUSchedulingPolicy in its systemd unit if wanted)";
    private static final String CORES = "Tandem runs in a JVM: core limits belong to its systemd unit (LimitCORE)";
    private static final String COMPRESSION = "Tandem's heartbeat packets are small and never compressed";
    private static final String SERIAL = "serial links are not supported: use ucast, mcast or bcast on a second"
            + " network";
    private static final String IPV6 = "IPv6 heartbeat links are not supported: use ucast, mcast or bcast over IPv4";
    private static final String NO_PACEMAKER = "it configures Pacemaker, and Tandem runs no Pacemaker";

    /** Accepted with a one-line warning: directive, why it has no effect in Tandem. */
    private static final Map<String, String> NO_EFFECT = Map.ofEntries(
            Map.entry("cluster", "Tandem tells its packets from other clusters' by the authkeys signature"),
            Map.entry("hopfudge", "Tandem's heartbeats go straight between the two nodes and are never forwarded"),
            Map.entry("deadping", "Tandem checks its ping nodes on its own fixed schedule (500 ms per try)"),
            Map.entry("logfacility", LOG4J),
            Map.entry("logfile", LOG4J),
            Map.entry("debugfile", LOG4J),
            Map.entry("debug", LOG4J),
            Map.entry("use_logd", LOG4J),
            Map.entry("conn_logd_time", LOG4J),
            Map.entry("syslogmsgfmt", LOG4J),
            Map.entry("log_badpack", "Tandem always logs the heartbeats it rejects, with the reason"),
            Map.entry("rtprio", REALTIME),
            Map.entry("realtime", REALTIME),
            Map.entry("memreserve", "Tandem runs in a JVM: size its heap with -Xms/-Xmx"),
            Map.entry("coredumps", CORES),
            Map.entry("coreroot", CORES),
            Map.entry("hbgenmethod", "Tandem keeps its own generation number for each start of a node"),
            Map.entry("uuidfrom", "Tandem knows nodes by their names on the node lines, not by UUID"),
            Map.entry("normalpoll", "Tandem does not use poll(2) itself"),
            Map.entry("msgfmt", "Tandem's heartbeat packet has one signed binary format, not classic or netstring"),
            Map.entry("compression", COMPRESSION),
            Map.entry("compression_threshold", COMPRESSION),
            Map.entry("traditional_compression", COMPRESSION),
            Map.entry("max_rexmit_delay", "Tandem never retransmits a heartbeat: each keepalive sends a fresh one"),
            Map.entry("use_apphbd", "Tandem does not register with apphbd (let systemd watch the daemon)"),
            Map.entry("apiauth", "Tandem has no Heartbeat API and so no API clients to authorize"),
            Map.entry("env", "Tandem starts no respawned clients to pass environment variables to"),
            Map.entry("failfast", "Tandem starts no Heartbeat clients (run the program under systemd instead)"),
            Map.entry("crm_daemon_dir", NO_PACEMAKER),
            Map.entry("crmd_spawns_pengine", NO_PACEMAKER),
            Map.entry("record_config_changes", NO_PACEMAKER),
            Map.entry("record_pengine_inputs", NO_PACEMAKER),
            Map.entry("enable_config_writes", NO_PACEMAKER));

    /** Refused: directive, what to write instead. */
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("stonith", "stonith is not supported: write 'fence_command PROGRAM ARGS...' (run with the"
                    + " peer's node name) instead"),
            Map.entry("stonith_host", "stonith_host is not supported: write 'fence_command PROGRAM ARGS...' (run with"
                    + " the peer's node name) instead"),
            Map.entry("serial", SERIAL),
            Map.entry("baud", SERIAL),
            Map.entry("watchdog", "Tandem does not feed a watchdog device, so this line would protect nothing:"
                    + " remove it and let systemd watch the daemon (WatchdogSec) or run a watchdog daemon"),
            Map.entry("quorum_server", "Tandem has no quorum server client: remove the line; a split brain is"
                    + " settled by fence_command with fence_delay, and by ping nodes"),
            Map.entry("ucast6", IPV6),
            Map.entry("mcast6", IPV6),
            Map.entry("ping6", "IPv6 ping nodes are not supported: name an IPv4 ping node with 'ping ADDRESS'"),
            Map.entry("hbaping", "Fibre Channel HBA ping nodes are not supported: use 'ping ADDRESS'"),
            Map.entry("openais", "openais links are not supported: use ucast, mcast or bcast"),
            Map.entry("tipc", "TIPC links are not supported: use ucast, mcast or bcast"),
            Map.entry("rds", "RDS links are not supported: use ucast, mcast or bcast"));

    private HeartbeatDirectives() {
    }

    /** Why {@code directive} has no effect in Tandem, if it is one Tandem accepts and ignores. */
    static Optional<String> noEffect(String directive) {
        return Optional.ofNullable(NO_EFFECT.get(directive));
    }

    /** What to write instead of {@code directive}, if Tandem refuses it. */
    static Optional<String> refusal(String directive) {
        return Optional.ofNullable(REFUSED.get(directive));
    }
}
