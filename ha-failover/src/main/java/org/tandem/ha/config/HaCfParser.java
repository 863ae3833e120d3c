package org.tandem.ha.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads ha.cf as Heartbeat's users write it: one directive a line, '#' comments, times in seconds or with an
 * {@code ms} suffix. Directives that only made sense for Heartbeat's own machinery (logging, respawned helpers)
 * are accepted with a warning; ones whose meaning Tandem would silently change (crm, serial links, stonith_host)
 * fail with what to write instead. (Hand-written rather than Commons Configuration, because errors must name
 * the line and Commons Configuration does not keep line numbers.)
 */
public final class HaCfParser {
    private static final Logger LOG = LogManager.getLogger(HaCfParser.class);
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s)?");

    private final Path file;
    private final List<String> nodes = new ArrayList<>();
    private Duration keepalive = Duration.ofSeconds(2);
    private Duration warntime;
    private Duration deadtime = Duration.ofSeconds(30);
    private Duration initdead;
    private int udpPort = HaConfig.DEFAULT_UDP_PORT;
    private final List<HeartbeatLink> links = new ArrayList<>();
    private boolean autoFailback = true;
    private final List<String> ping = new ArrayList<>();
    private Fencing fencing;
    private final Map<String, Duration> fenceDelays = new LinkedHashMap<>();
    private final Map<String, Integer> fenceDelayLines = new LinkedHashMap<>();

    private HaCfParser(Path file) {
        this.file = file;
    }

    public static HaConfig read(Path file) throws HaConfigException {
        try {
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HaConfigException("cannot read " + file + ": " + e);
        }
    }

    /** Parses lines as if read from {@code file}. */
    public static HaConfig parse(Path file, List<String> lines) throws HaConfigException {
        HaCfParser p = new HaCfParser(file);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!line.isEmpty()) {
                p.directive(n, line.split("\\s+"));
            }
        }
        return p.finish();
    }

    private void directive(int n, String[] w) throws HaConfigException {
        String name = w[0].toLowerCase(Locale.ROOT);
        List<String> args = Arrays.asList(w).subList(1, w.length);
        switch (name) {
            case "node" -> {
                need(n, args, 1, -1, "node NAME...");
                for (String node : args) {
                    if (nodes.contains(node)) {
                        throw new HaConfigException(file, n, "node " + node + " is named twice");
                    }
                    nodes.add(node);
                }
            }
            case "keepalive" -> keepalive = time(n, args, "keepalive");
            case "warntime" -> warntime = time(n, args, "warntime");
            case "deadtime" -> deadtime = time(n, args, "deadtime");
            case "initdead" -> initdead = time(n, args, "initdead");
            case "udpport" -> {
                need(n, args, 1, 1, "udpport PORT");
                udpPort = number(n, args.get(0), "udpport", 1, 65535);
            }
            case "ucast" -> {
                need(n, args, 2, 2, "ucast IFACE PEER-ADDRESS");
                links.add(new HeartbeatLink.Unicast(args.get(0), args.get(1)));
            }
            case "bcast" -> {
                need(n, args, 1, -1, "bcast IFACE...");
                args.forEach(i -> links.add(new HeartbeatLink.Broadcast(i)));
            }
            case "mcast" -> {
                need(n, args, 5, 5, "mcast IFACE GROUP PORT TTL LOOP");
                int port = number(n, args.get(2), "mcast port", 1, 65535);
                int ttl = number(n, args.get(3), "mcast TTL", 1, 255);
                int loop = number(n, args.get(4), "mcast LOOP", 0, 1);
                links.add(new HeartbeatLink.Multicast(args.get(0), args.get(1), port, ttl, loop == 1));
            }
            case "auto_failback" -> {
                need(n, args, 1, 1, "auto_failback on|off");
                autoFailback = switch (args.get(0).toLowerCase(Locale.ROOT)) {
                    case "on", "yes", "true" -> true;
                    case "off", "no", "false" -> false;
                    default -> throw new HaConfigException(file, n, "expected auto_failback on or off, got '"
                            + args.get(0) + "'");
                };
            }
            case "ping" -> {
                need(n, args, 1, -1, "ping ADDRESS...");
                ping.addAll(args);
            }
            case "ping_group" -> {
                need(n, args, 2, -1, "ping_group NAME ADDRESS...");
                ping.addAll(args.subList(1, args.size()));
            }
            case "fence_command" -> {
                need(n, args, 1, -1, "fence_command PROGRAM [ARGUMENT...] (the peer's node name is appended)");
                setFencing(n, new Fencing(List.copyOf(args)));
            }
            case "fencing" -> {
                if (args.size() != 1 || !args.get(0).equalsIgnoreCase("none")) {
                    throw new HaConfigException(file, n, "expected 'fencing none' (to run without fencing, at the"
                            + " risk of split brain) or a fence_command line");
                }
                setFencing(n, Fencing.none());
            }
            case "fence_delay" -> {
                need(n, args, 2, 2, "fence_delay NODE TIME");
                fenceDelays.put(args.get(0), time(n, args.subList(1, 2), "fence_delay"));
                fenceDelayLines.put(args.get(0), n);
            }
            case "logfacility", "logfile", "debugfile", "use_logd", "debug", "compression", "traditional_compression"
                    -> LOG.warn("{}:{}: {} has no effect: Tandem logs through Log4j 2", file, n, w[0]);
            case "respawn" -> LOG.warn("{}:{}: respawn ignored: ipfail's behaviour is built in (ping nodes)", file, n);
            case "crm", "pacemaker" -> {
                if (!args.isEmpty() && (args.get(0).equalsIgnoreCase("off") || args.get(0).equalsIgnoreCase("no"))) {
                    return;
                }
                throw new HaConfigException(file, n, "Tandem has no CRM: resource groups come from haresources;"
                        + " remove this line or say 'crm off'");
            }
            case "stonith", "stonith_host" -> throw new HaConfigException(file, n, w[0] + " is not supported: write"
                    + " 'fence_command PROGRAM ARGS...' (run with the peer's node name) instead");
            case "serial", "baud" -> throw new HaConfigException(file, n, "serial links are not supported: use"
                    + " ucast, mcast or bcast on a second network");
            default -> throw new HaConfigException(file, n, "unknown directive '" + w[0] + "' (expected node,"
                    + " keepalive, warntime, deadtime, initdead, udpport, ucast, mcast, bcast, auto_failback, ping,"
                    + " fence_command, fencing, fence_delay)");
        }
    }

    private void setFencing(int n, Fencing f) throws HaConfigException {
        if (fencing != null) {
            throw new HaConfigException(file, n, "fencing is configured twice");
        }
        fencing = f;
    }

    private HaConfig finish() throws HaConfigException {
        if (nodes.size() != 2) {
            throw new HaConfigException(file + ": a Tandem cluster has exactly two nodes; found " + nodes.size()
                    + " node line name(s) " + nodes);
        }
        if (links.isEmpty()) {
            throw new HaConfigException(file + ": no heartbeat link: add ucast, mcast or bcast (two, on different"
                    + " networks, is better)");
        }
        if (fencing == null) {
            throw new HaConfigException(file + ": say how to fence the peer: 'fence_command PROGRAM ARGS...', or"
                    + " 'fencing none' to accept the risk of both nodes serving one LUN");
        }
        Duration warn = warntime != null ? warntime : deadtime.dividedBy(2);
        if (keepalive.isZero() || keepalive.compareTo(warn) >= 0) {
            throw new HaConfigException(file + ": keepalive (" + keepalive.toMillis() + " ms) must be above zero and"
                    + " below warntime (" + warn.toMillis() + " ms)");
        }
        if (warn.compareTo(deadtime) > 0) {
            throw new HaConfigException(file + ": warntime (" + warn.toMillis() + " ms) must not exceed deadtime ("
                    + deadtime.toMillis() + " ms)");
        }
        if (deadtime.compareTo(keepalive.multipliedBy(2)) < 0) {
            throw new HaConfigException(file + ": deadtime (" + deadtime.toMillis() + " ms) must be at least twice"
                    + " keepalive (" + keepalive.toMillis() + " ms), or one lost packet kills a node");
        }
        Duration init = initdead != null ? initdead : deadtime.multipliedBy(2);
        if (init.compareTo(deadtime) < 0) {
            throw new HaConfigException(file + ": initdead (" + init.toMillis() + " ms) must not be below deadtime");
        }
        for (Map.Entry<String, Integer> e : fenceDelayLines.entrySet()) {
            if (!nodes.contains(e.getKey())) {
                throw new HaConfigException(file, e.getValue(), "fence_delay names " + e.getKey()
                        + ", which is not a node (" + nodes + ")");
            }
        }
        return new HaConfig(List.copyOf(nodes), keepalive, warn, deadtime, init, udpPort, List.copyOf(links),
                autoFailback, List.copyOf(ping), fencing, Map.copyOf(fenceDelays));
    }

    private void need(int n, List<String> args, int min, int max, String form) throws HaConfigException {
        if (args.size() < min || (max >= 0 && args.size() > max)) {
            throw new HaConfigException(file, n, "expected '" + form + "'");
        }
    }

    private Duration time(int n, List<String> args, String what) throws HaConfigException {
        need(n, args, 1, 1, what + " TIME (seconds, or with ms: 500ms)");
        Matcher m = TIME.matcher(args.get(0));
        if (!m.matches()) {
            throw new HaConfigException(file, n, "expected a time for " + what + " (2, 1.5, 500ms), got '"
                    + args.get(0) + "'");
        }
        double value = Double.parseDouble(m.group(1));
        long millis = "ms".equals(m.group(2)) ? Math.round(value) : Math.round(value * 1000);
        return Duration.ofMillis(millis);
    }

    private int number(int n, String value, String what, int min, int max) throws HaConfigException {
        try {
            int v = Integer.parseInt(value);
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new HaConfigException(file, n, "expected " + what + " from " + min + " to " + max + ", got '"
                    + value + "'");
        }
    }
}
