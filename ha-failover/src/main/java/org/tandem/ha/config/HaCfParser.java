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
import java.util.Optional;

/**
 * Reads ha.cf as Heartbeat's config.c does: '#' starts a comment anywhere on a line; the directive is the first
 * word; the rest is split on commas and white space ({@code bcast eth0, eth1} is two links, {@code node a,b} two
 * nodes), except for the directives Heartbeat hands whole to one parse function (ucast, mcast, ping_group, ...;
 * see {@link HeartbeatDirectives#WHOLE_LINE}), whose words are split on white space only. Times are in seconds,
 * or with an {@code ms} or {@code us} suffix, from 1 ms to a day (or 0). A single-valued directive given again
 * counts from its last line, as in Heartbeat, with a warning naming both lines. Heartbeat directives that only made sense for Heartbeat's own
 * machinery are accepted with a warning saying why they do nothing here; ones whose meaning Tandem would silently
 * change fail with what to write instead. (Hand-written rather than Commons Configuration, because errors must
 * name the line and Commons Configuration does not keep line numbers.)
 *
 * <p>This class reads the lines and holds the directive table; {@link HaCfValues} reads the values after a
 * directive, and {@link GivenSettings} warns about repeated settings and checks the timings against each other.
 */
public final class HaCfParser {
    private static final Logger LOG = LogManager.getLogger(HaCfParser.class);

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
    private int fencingLine;
    private final Map<String, Duration> fenceDelays = new LinkedHashMap<>();
    private final Map<String, Integer> fenceDelayLines = new LinkedHashMap<>();

    /** The values after each directive. */
    private final HaCfValues values;
    /** Where each single-valued setting was last given. */
    private final GivenSettings settings;

    private HaCfParser(Path file) {
        this.file = file;
        this.values = new HaCfValues(file);
        this.settings = new GivenSettings(file);
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
        lines = ConfigText.withoutByteOrderMark(file, lines);
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            if (hash > 0 && !Character.isWhitespace(line.charAt(hash - 1)) && !line.strip().startsWith("#")) {
                // Heartbeat cut there too, but a '#' glued to a word (a fence password, a path) is rarely meant
                String[] around = {line.substring(0, hash), line.substring(hash)};
                String word = around[0].substring(around[0].lastIndexOf(' ') + 1) + around[1].split("\\s", 2)[0];
                LOG.warn("{}:{}: '#' inside the word '{}' starts a comment (as in Heartbeat's ha.cf): the line is"
                        + " read as '{}'", file, n, word, around[0].strip());
            }
            line = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!line.isEmpty()) {
                String[] head = line.split("\\s+", 2);
                String name = head[0].toLowerCase(Locale.ROOT);
                p.directive(n, name, words(name, head.length > 1 ? head[1] : ""));
            }
        }
        return p.finish();
    }

    /**
     * The values after a directive, split as Heartbeat splits them: on commas and white space, or on white space
     * only for whole-line directives. Like Heartbeat, delimiters right after the directive are skipped.
     */
    static List<String> words(String directive, String rest) {
        String value = rest.replaceFirst("^[,\\s]+", "");
        String delimiters = HeartbeatDirectives.WHOLE_LINE.contains(directive) ? "\\s+" : "[,\\s]+";
        return value.isEmpty() ? List.of() : List.of(value.split(delimiters));
    }

    private void directive(int n, String name, List<String> args) throws HaConfigException {
        switch (name) {
            case "node" -> {
                values.need(n, name, args, 1, -1, "node NAME... (names separated by spaces or commas)");
                for (String written : args) {
                    values.hostName(n, written);
                    // Heartbeat lowercases node names, so 'a' and 'A' are one node there; here too.
                    String node = NodeName.of(written);
                    if (nodes.contains(node)) {
                        throw new HaConfigException(file, n, "node " + written + " is named twice (host names ignore"
                                + " case): name each node once");
                    }
                    nodes.add(node);
                }
            }
            case "keepalive" -> keepalive = settings.single(n, name, args, values.time(n, args, name));
            case "warntime" -> warntime = settings.single(n, name, args, values.time(n, args, name));
            case "deadtime" -> deadtime = settings.single(n, name, args, values.time(n, args, name));
            case "initdead" -> initdead = settings.single(n, name, args, values.time(n, args, name));
            case "udpport" -> {
                values.need(n, name, args, 1, 1, "udpport PORT");
                udpPort = settings.single(n, name, args, values.number(n, args.get(0), "udpport", 1, 65535));
                if (!links.isEmpty()) {
                    LOG.warn("{}:{}: udpport comes after link lines: Heartbeat would have kept the default port for"
                            + " those links, Tandem uses {} on every link; move udpport above the links", file, n,
                            udpPort);
                }
            }
            case "ucast" -> ucast(n, args);
            case "bcast" -> {
                values.need(n, name, args, 1, -1, "bcast IFACE... (interfaces separated by spaces or commas)");
                for (String iface : args) {
                    links.add(new HeartbeatLink.Broadcast(values.iface(n, name, iface)));
                }
            }
            case "mcast" -> {
                values.need(n, name, args, 5, 5, "mcast IFACE GROUP PORT TTL LOOP, one interface a line"
                        + " (Heartbeat would ignore anything after LOOP)");
                String iface = values.iface(n, name, args.get(0));
                int port = values.number(n, args.get(2), "mcast port", 1, 65535);
                int ttl = values.number(n, args.get(3), "mcast TTL", 1, 255);
                int loop = values.number(n, args.get(4), "mcast LOOP", 0, 1);
                links.add(new HeartbeatLink.Multicast(iface, args.get(1), port, ttl, loop == 1));
            }
            case "auto_failback" -> {
                values.need(n, name, args, 1, 1, "auto_failback on|off");
                String value = args.get(0);
                Boolean on = HaCfValues.bool(value);
                if (on == null && !value.equalsIgnoreCase("legacy")) {
                    throw new HaConfigException(file, n, "expected auto_failback on or off, got '" + value + "'");
                }
                if (on == null) {
                    LOG.warn("{}:{}: auto_failback legacy is read as 'auto_failback on' (groups move back to their"
                            + " preferred node): 'legacy' only mattered in clusters mixing old Heartbeat"
                            + " versions; write 'auto_failback on'", file, n);
                }
                autoFailback = settings.single(n, "failback", name, args, on == null || on);
            }
            case "nice_failback" -> {
                values.need(n, name, args, 1, 1, "auto_failback on|off");
                Boolean nice = HaCfValues.bool(args.get(0));
                if (nice == null) {
                    throw new HaConfigException(file, n, "expected nice_failback on or off, got '" + args.get(0)
                            + "'; better, write auto_failback (the opposite sense)");
                }
                LOG.warn("{}:{}: nice_failback is obsolete and means the opposite of auto_failback: read as"
                        + " 'auto_failback {}'; write that instead", file, n, nice ? "off" : "on");
                autoFailback = settings.single(n, "failback", name, args, !nice);
            }
            case "ping" -> {
                values.need(n, name, args, 1, -1, "ping ADDRESS... (addresses separated by spaces or commas)");
                ping.addAll(args);
            }
            case "ping_group" -> {
                values.need(n, name, args, 2, -1, "ping_group NAME ADDRESS...");
                ping.addAll(args.subList(1, args.size()));
            }
            case "fence_command" -> {
                values.need(n, name, args, 1, -1, "fence_command PROGRAM [ARGUMENT...] (the peer's node name is"
                        + " appended)");
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
                values.need(n, name, args, 2, 2, "fence_delay NODE TIME");
                String node = NodeName.of(args.get(0));
                fenceDelays.put(node, settings.single(n, "fence_delay " + node, name, args,
                        values.time(n, args.subList(1, 2), "fence_delay")));
                fenceDelayLines.put(node, n);
            }
            case "respawn" -> {
                // 'respawn ipfail' without a user is a common slip; ipfail's work is built in, so no user matters.
                String program = args.size() == 1 ? args.get(0) : "";
                if (!program.endsWith("ipfail")) {
                    values.need(n, name, args, 2, -1, "respawn USER PROGRAM [ARGUMENT...]");
                    program = args.get(1);
                }
                if (program.endsWith("ipfail")) {
                    LOG.warn("{}:{}: respawn ipfail has no effect: ipfail's behaviour is built in (ping nodes)",
                            file, n);
                } else {
                    LOG.warn("{}:{}: respawn has no effect: Tandem starts no other programs; run '{}' under"
                            + " systemd instead", file, n, program);
                }
            }
            case "crm", "pacemaker" -> {
                Boolean on = args.size() == 1 ? HaCfValues.bool(args.get(0)) : null;
                if (!Boolean.FALSE.equals(on)) {
                    throw new HaConfigException(file, n, "Tandem has no CRM: resource groups come from"
                            + " haresources; remove this line or say '" + name + " off'");
                }
            }
            case "autojoin" -> {
                values.need(n, name, args, 1, 1, "autojoin none");
                if (!args.get(0).equalsIgnoreCase("none")) {
                    throw new HaConfigException(file, n, "autojoin " + args.get(0) + " is not supported: a Tandem"
                            + " cluster is exactly the two nodes on the node lines; remove the line or write"
                            + " 'autojoin none'");
                }
            }
            default -> other(n, name);
        }
    }

    /** Heartbeat directives Tandem does not honour (warned about or refused), and unknown ones. */
    private void other(int n, String name) throws HaConfigException {
        Optional<String> refusal = HeartbeatDirectives.refusal(name);
        if (refusal.isPresent()) {
            throw new HaConfigException(file, n, refusal.get());
        }
        Optional<String> why = HeartbeatDirectives.noEffect(name);
        if (why.isEmpty()) {
            throw new HaConfigException(file, n, "unknown directive '" + name + "' (expected node, keepalive,"
                    + " warntime, deadtime, initdead, udpport, ucast, mcast, bcast, auto_failback, ping, ping_group,"
                    + " fence_command, fencing, fence_delay, or another Heartbeat ha.cf directive)");
        }
        LOG.warn("{}:{}: {} has no effect: {}", file, n, name, why.get());
    }

    /**
     * {@code ucast IFACE PEER [PEER...]}. Heartbeat's ucast plugin reads one interface and one address and drops the
     * rest of the line (a comma stays inside the address, which then fails to resolve). People write both nodes'
     * addresses on one line so that one ha.cf serves both nodes ({@code ucast eth1 10.0.0.1, 10.0.0.2}); that
     * meaning is plain, so each address, separated by commas or white space, becomes a link of its own (a node skips
     * the one that is its own address), rather than a silently ignored word or a start-up failure.
     */
    private void ucast(int n, List<String> args) throws HaConfigException {
        values.need(n, "ucast", args, 2, -1, "ucast IFACE PEER-ADDRESS [PEER-ADDRESS...]");
        String iface = values.iface(n, "ucast", args.get(0));
        List<String> peers = args.stream().skip(1).flatMap(a -> Arrays.stream(a.split(",")))
                .filter(a -> !a.isEmpty()).toList();
        if (peers.isEmpty()) {
            throw new HaConfigException(file, n, "expected 'ucast IFACE PEER-ADDRESS [PEER-ADDRESS...]'");
        }
        for (String peer : peers) {
            links.add(new HeartbeatLink.Unicast(iface, peer));
        }
    }

    /**
     * Fencing is Tandem's own directive, and refused when repeated rather than the last taken: two fence_command
     * lines may well mean "try both", and a fence that silently never runs is the one mistake not to make quietly.
     */
    private void setFencing(int n, Fencing f) throws HaConfigException {
        if (fencing != null) {
            throw new HaConfigException(file, n, "fencing is configured twice (also on line " + fencingLine + "):"
                    + " keep one fence_command line (Tandem runs one command; let it try several devices if needed)"
                    + " or 'fencing none'");
        }
        fencing = f;
        fencingLine = n;
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
        Duration init = initdead != null ? initdead : deadtime.multipliedBy(2);
        settings.checkTimings(keepalive, warn, deadtime, init);
        for (Map.Entry<String, Integer> e : fenceDelayLines.entrySet()) {
            if (!nodes.contains(e.getKey())) {
                throw new HaConfigException(file, e.getValue(), "fence_delay names " + e.getKey()
                        + ", which is not a node (" + nodes + ")");
            }
        }
        return new HaConfig(List.copyOf(nodes), keepalive, warn, deadtime, init, udpPort, List.copyOf(links),
                autoFailback, List.copyOf(ping), fencing, Map.copyOf(fenceDelays));
    }
}
