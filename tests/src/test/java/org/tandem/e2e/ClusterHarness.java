package org.tandem.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two storage nodes and an initiator host, each in a network namespace this harness makes, joined by a bridge
 * in a fourth ("the switch"): data network 10.77.0.0/24 (nodes .1 and .2, initiator .10, floating portal .100),
 * and a heartbeat network 10.78.0.0/24 on a second bridge. Each node runs the real daemon with --ha. DRBD is a
 * stand-in script (named so, see {@link #drbdStandIn}) that keeps both nodes' roles in files and enforces what DRBD 8.4
 * enforces: each node's device ({@code NODE/drbd0}) opens only while that node is Primary, a demote is refused
 * while anyone holds the device open, and a promote while connected to a Primary peer, which a powered-off peer
 * still is for 2.5 s, as on 8.4 (a survivor that fenced it must drop the connection itself). The LUN's data is one
 * backing file; each node's device is a hard link to it. The fencing command "powers off" a node: takes its links
 * down, kills its process, and its DRBD goes down with it. Everything is removed in close(); the harness skips
 * (assumption) where namespaces are not allowed.
 */
final class ClusterHarness implements AutoCloseable {
    static final String TARGET = "iqn.2026-11.org.tandem.test:ha";
    static final String FLOATING = "10.77.0.100";
    /** The ha.cf node and link lines most tests use: one ucast line per node on the heartbeat network. */
    static final String UCAST_PAIR = "node a b\nucast eth1 10.78.0.1\nucast eth1 10.78.0.2";

    private final Path dir;
    private final String prefix = "tnd" + ProcessHandle.current().pid() % 100000;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<String> namespaces = new ArrayList<>();

    /** One storage node: its namespace, its daemon process and that process's log lines. */
    static final class Node {
        final String name;
        final String ns;
        final String address;
        Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Node(String name, String ns, String address) {
            this.name = name;
            this.ns = ns;
            this.address = address;
        }

        boolean logged(String text) {
            return lines.stream().anyMatch(l -> l.contains(text));
        }
    }

    private ClusterHarness(Path dir) {
        this.dir = dir;
    }

    /** Builds the networks and files; starts nothing yet. */
    static ClusterHarness create(Path dir, String haExtra) throws Exception {
        return create(dir, UCAST_PAIR, haExtra);
    }

    /** As {@link #create(Path, String)}, with ha.cf's node and link lines given ({@code nodesAndLinks}). */
    static ClusterHarness create(Path dir, String nodesAndLinks, String haExtra) throws Exception {
        Path jar = DaemonProcess.jar();
        assumeTrue(Files.exists(jar));
        assumeTrue(Tools.has("ip") && Tools.has("qemu-io"), "iproute2 or qemu-utils missing");
        ClusterHarness h = new ClusterHarness(dir);
        try {
            h.network();
            h.files(nodesAndLinks, haExtra);
        } catch (Exception | AssertionError e) {
            h.close();
            throw e;
        }
        return h;
    }

    String ns(String role) {
        return prefix + "-" + role;
    }

    private void sh(String... command) {
        Tools.Result r = Tools.run(20, command);
        assertThat(r.ok()).as(String.join(" ", command) + ": " + r.output()).isTrue();
    }

    private void network() {
        Tools.Result probe = Tools.run(10, "ip", "netns", "add", ns("sw"));
        assumeTrue(probe.ok(), "network namespaces are not allowed here: " + probe.output());
        namespaces.add(ns("sw"));
        sh("ip", "-n", ns("sw"), "link", "add", "data", "type", "bridge");
        sh("ip", "-n", ns("sw"), "link", "add", "hb", "type", "bridge");
        sh("ip", "-n", ns("sw"), "link", "set", "data", "up");
        sh("ip", "-n", ns("sw"), "link", "set", "hb", "up");
        Map<String, String> data = Map.of("a", "10.77.0.1", "b", "10.77.0.2", "i", "10.77.0.10");
        // x: a stranger on the heartbeat network, for forged and replayed packets.
        sh("ip", "netns", "add", ns("x"));
        namespaces.add(ns("x"));
        plug(ns("x"), "eth1", "x-h", "hb", "10.78.0.66");
        for (String role : List.of("a", "b", "i")) {
            String ns = ns(role);
            sh("ip", "netns", "add", ns);
            namespaces.add(ns);
            sh("ip", "-n", ns, "link", "set", "lo", "up");
            plug(ns, "eth0", role + "-d", "data", data.get(role));
            if (!role.equals("i")) {
                plug(ns, "eth1", role + "-h", "hb", role.equals("a") ? "10.78.0.1" : "10.78.0.2");
                nodes.put(role, new Node(role, ns, data.get(role)));
            }
        }
    }

    /** A veth from the switch's bridge into a host namespace, with an address. */
    private void plug(String ns, String inside, String outside, String bridge, String address) {
        sh("ip", "-n", ns("sw"), "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns);
        sh("ip", "-n", ns("sw"), "link", "set", outside, "master", bridge);
        sh("ip", "-n", ns("sw"), "link", "set", outside, "up");
        // brd +: set the subnet's broadcast address, as ifupdown and DHCP clients do; without it the interface
        // has none (0.0.0.0) and a bcast link would send nowhere.
        sh("ip", "-n", ns, "addr", "add", address + "/24", "brd", "+", "dev", inside);
        sh("ip", "-n", ns, "link", "set", inside, "up");
    }

    private void files(String nodesAndLinks, String haExtra) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("shared.img").toFile(), "rw")) {
            raf.setLength(64L << 20);
        }
        Files.createDirectories(dir.resolve("drbd"));
        Files.writeString(dir.resolve("drbd").resolve("power-off"), """
                #!/bin/sh
                # Node $1's DRBD goes down with its power: no role, no device. The time and the role it had are kept
                # in drbd/$1.off: the peer's stand-in goes on seeing it connected with that role for a while, as
                # DRBD 8.4 does until ping-int + ping-timeout have passed. A node already off stays as it went off.
                d=%s
                exec 9>$d/drbd/lock
                flock 9
                [ -f $d/drbd/$1.role ] || exit 0
                echo "$(date +%%s%%N) $(cat $d/drbd/$1.role)" > $d/drbd/$1.off
                rm -f $d/drbd/$1.role $d/$1/drbd0
                """.formatted(dir));
        executable(dir.resolve("drbd").resolve("power-off"));
        Files.writeString(dir.resolve("fence"), """
                #!/bin/sh
                # Test fencing: "power off" node $1: its links go down and its daemon is killed.
                d=%s
                ip -n "$(cat $d/$1.ns)" link set eth0 down 2>/dev/null
                ip -n "$(cat $d/$1.ns)" link set eth1 down 2>/dev/null
                [ -f $d/$1.pid ] && kill -9 "$(cat $d/$1.pid)" 2>/dev/null
                $d/drbd/power-off "$1"
                echo "$1" >> $d/fenced
                exit 0
                """.formatted(dir));
        executable(dir.resolve("fence"));
        for (Node n : nodes.values()) {
            Path home = dir.resolve(n.name);
            Path ha = home.resolve("ha.d");
            Path bin = home.resolve("bin");
            Files.createDirectories(ha);
            Files.createDirectories(bin);
            Files.writeString(dir.resolve(n.name + ".ns"), n.ns + "\n");
            Files.writeString(home.resolve("admin.conf"), "Listen 127.0.0.1:8260\nTokenFile admin.token\n");
            // The node's DRBD device: opens only while the node is Primary (the stand-in links the data there then).
            // IOMode=wt: tandemd refuses wb on a grouped LUN (a power-off erases what it acknowledged from cache).
            Files.writeString(home.resolve("ietd.conf"), "Target " + TARGET + "\n  Lun 0 Path=" + device(n.name)
                    + ",Type=fileio,IOMode=wt,ScsiSN=HA0\n");
            Files.writeString(dir.resolve("drbd").resolve(n.name + ".role"), "Secondary\n");
            secondaryDevice(device(n.name));
            Files.writeString(ha.resolve("ha.cf"), """
                    %s
                    keepalive 200ms
                    warntime 600ms
                    deadtime 1
                    initdead 3
                    auto_failback off
                    fence_command %s
                    fence_delay b 1
                    %s
                    """.formatted(nodesAndLinks, dir.resolve("fence"), haExtra));
            Files.writeString(ha.resolve("authkeys"), "auth 1\n1 sha256 e2e-cluster-secret-0123456789\n");
            Files.setPosixFilePermissions(ha.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(ha.resolve("haresources"), "a group::ha drbddisk::r0 iscsi-target::" + TARGET
                    + " IPaddr::" + FLOATING + "/24/eth0\n");
            String standIn = drbdStandIn(n);
            Files.writeString(bin.resolve("drbdadm"), standIn);
            Files.writeString(bin.resolve("drbdsetup"), standIn);
            executable(bin.resolve("drbdadm"));
            executable(bin.resolve("drbdsetup"));
        }
    }

    /** Node {@code name}'s DRBD device as its ietd.conf names it: opens only while the node is Primary. */
    Path device(String name) {
        return dir.resolve(name).resolve("drbd0");
    }

    /**
     * A Secondary's device: there, but every open(2) of it fails, as DRBD 8.4's does (EROFS for writing, EMEDIUMTYPE
     * for reading). A Unix socket is such a file: opening one fails with ENXIO, for root too. Left behind by the
     * channel's close, as sockets are.
     */
    private static void secondaryDevice(Path device) throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(device));
        }
    }

    /**
     * The stand-in for drbdadm and drbdsetup on node {@code n}: NOT DRBD, but it refuses what DRBD 8.4 refuses, with
     * its words and exit code 11 (drbdsetup's "state change failed"), so the tests pass only if Tandem follows the
     * rules. Roles live in {@code drbd/NODE.role} (none: the node is powered off); every change holds one lock.
     * <ul>
     * <li>A Secondary device cannot be opened at all (8.4's drbd_open: EROFS for writing, EMEDIUMTYPE for reading):
     * here the device path is a hard link to the data only while the node is Primary, and a Unix socket (which no
     * open(2) accepts) while it is Secondary.</li>
     * <li>{@code secondary} fails while any process holds the device open (read from /proc/PID/fd): "Device is held
     * open by someone".</li>
     * <li>The connection: the nodes are Connected while both are up, unless one has left it ({@code disconnect
     * --force}: StandAlone at once, in {@code drbd/NODE.standalone}; {@code connect}: WFConnection again). A peer
     * powered off is still seen Connected, with the role it had, for ping-int + ping-timeout (2.5 s with
     * etc/drbd.d/r0-8.4.res) after its power went off ({@code drbd/NODE.off}: time and role); then WFConnection.</li>
     * <li>{@code primary} fails while Connected to a Primary peer, even one that is powered off but not yet noticed:
     * "Multiple primaries not allowed by config".</li>
     * <li>{@code role}, {@code dstate} and {@code cstate} answer as 8.4's drbdadm does (local/peer), {@code sh-minor}
     * with the resource's one minor; drbdsetup has no {@code status} (that is DRBD 9), and there is no /proc/drbd
     * (the host has no DRBD), so Tandem reads the 8.4 way with drbdadm.</li>
     * </ul>
     */
    private String drbdStandIn(Node n) {
        String peer = n.name.equals("a") ? "b" : "a";
        return """
                #!/bin/sh
                # Tandem test stand-in for DRBD 8.4's drbdadm and drbdsetup on node %1$s: NOT DRBD (see ClusterHarness).
                d=%2$s; me=%1$s; peer=%3$s; dev=%4$s
                exec 9>$d/drbd/lock
                flock 9
                # Secondary's device: a Unix socket, which every open(2) refuses (ENXIO), as 8.4 refuses a Secondary's.
                # The system's interpreter: a pyenv shim first on PATH costs up to a second per demote.
                py=/usr/bin/python3; [ -x $py ] || py=python3
                secondary() { rm -f $dev; $py -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' $dev; echo Secondary > $d/drbd/$me.role; }
                # A node restarted after a power-off comes up Secondary and connecting (DRBD's init script does so).
                [ -f $d/drbd/$me.role ] || { secondary; rm -f $d/drbd/$me.standalone; }
                # Shell built-ins where they do (read, ${0##*/}): every process this script starts is time a takeover
                # spends here that real DRBD's tools, one compiled program, do not.
                read mine < $d/drbd/$me.role
                # The peer as this node's DRBD sees it: Connected while both are up and neither stands alone; a peer
                # whose power went off less than 2.5 s ago (ping-int 1 s + ping-timeout 1.5 s) still looks Connected.
                theirs=Unknown; cs=WFConnection
                if [ -f $d/drbd/$me.standalone ]; then cs=StandAlone
                elif [ -f $d/drbd/$peer.role ]; then
                  [ -f $d/drbd/$peer.standalone ] || { cs=Connected; read theirs < $d/drbd/$peer.role; }
                elif [ -f $d/drbd/$peer.off ]; then
                  read off role < $d/drbd/$peer.off
                  [ $(( $(date +%%s%%N) - off )) -lt 2500000000 ] && { cs=Connected; theirs=$role; }
                fi
                refuse() { echo "0: State change failed: ($1) $2" >&2; echo "Command 'drbdsetup-84 $3 0' terminated with exit code 11" >&2; exit 11; }
                case "${0##*/} $1" in
                  "drbdadm role") echo "$mine/$theirs" ;;
                  "drbdadm dstate") [ $cs = Connected ] && echo UpToDate/UpToDate || echo UpToDate/DUnknown ;;
                  "drbdadm cstate") echo $cs ;;
                  "drbdadm sh-minor") echo 0 ;;
                  "drbdadm primary")
                    [ "$mine" = Primary ] && exit 0
                    [ "$theirs" = Primary ] && refuse -1 "Multiple primaries not allowed by config" primary
                    ln -f $d/shared.img $dev && echo Primary > $d/drbd/$me.role ;;
                  "drbdadm secondary")
                    [ "$mine" = Secondary ] && exit 0
                    # /proc/PID/fd shows the path opened, with symbolic links in the directories resolved. Only the
                    # two daemons of this bed can hold a node's device, so only their descriptors are read: a scan of
                    # every process's took hundreds of milliseconds on a busy machine and inflated the switchover
                    # pause the tests measure (real DRBD answers from its open count at once).
                    held=""
                    for pid in $(cat $d/*.pid 2>/dev/null); do
                      held="$held$(find /proc/$pid/fd -lname "$(readlink -f $dev)" 2>/dev/null | head -n 1)"
                    done
                    [ -n "$held" ] && refuse -12 "Device is held open by someone" secondary
                    secondary ;;
                  "drbdadm disconnect")
                    # A plain disconnect hangs on a dead peer: Tandem must never use one.
                    [ "$2" = --force ] || { echo "stand-in: only disconnect --force" >&2; exit 20; }
                    touch $d/drbd/$me.standalone ;;
                  "drbdadm connect") rm -f $d/drbd/$me.standalone ;;
                  *) echo "stand-in: unsupported: ${0##*/} $*" >&2; exit 20 ;;
                esac
                """.formatted(n.name, dir, peer, device(n.name));
    }

    private static void executable(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
    }

    Node node(String name) {
        return nodes.get(name);
    }

    /** Starts a node's daemon inside its namespace. */
    void start(String name) throws IOException {
        Node n = nodes.get(name);
        n.lines.clear();
        Path home = dir.resolve(name);
        ProcessBuilder b = new ProcessBuilder("ip", "netns", "exec", n.ns, "java",
                // -Dtandem.e2e.log4j=FILE on Maven's command line gives the daemons another Log4j configuration,
                // e.g. one with org.tandem at DEBUG for the takeover's step timings.
                "-Dlog4j2.configurationFile=" + System.getProperty("tandem.e2e.log4j",
                        Tools.repositoryRoot().resolve("etc/log4j2.xml").toString()), "-jar",
                DaemonProcess.jar().toString(), "--config", home.resolve("ietd.conf").toString(), "--portal",
                "0.0.0.0:3260", "--ha", home.resolve("ha.d").toString(), "--node", name)
                .redirectErrorStream(true);
        b.environment().put("PATH", home.resolve("bin") + ":" + System.getenv("PATH"));
        n.process = b.start();
        Files.writeString(dir.resolve(name + ".pid"), n.process.pid() + "\n");
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(n.process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    n.lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "log-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits (bounded) until a node's log has a line containing {@code text}. */
    void awaitLog(String name, String text, int seconds) throws InterruptedException {
        Node n = nodes.get(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!n.logged(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(n.logged(text)).as(name + " logs '" + text + "'; its log:\n" + String.join("\n", n.lines))
                .isTrue();
    }

    /** Whether a node's namespace holds the floating address now. */
    boolean holdsFloating(String name) {
        return Tools.run(10, "ip", "-n", nodes.get(name).ns, "-o", "addr", "show", "dev", "eth0").output()
                .contains(FLOATING + "/24");
    }

    /** Kills a node as a power failure would: links down, process killed. */
    void powerOff(String name) {
        Node n = nodes.get(name);
        Tools.run(10, "ip", "-n", n.ns, "link", "set", "eth0", "down");
        Tools.run(10, "ip", "-n", n.ns, "link", "set", "eth1", "down");
        n.process.destroyForcibly();
        sh(dir.resolve("drbd").resolve("power-off").toString(), name);
    }

    /** Node {@code name}'s DRBD role as its stand-in keeps it ("Primary", "Secondary"; "down" when powered off). */
    String drbdRole(String name) throws IOException {
        Path role = dir.resolve("drbd").resolve(name + ".role");
        return Files.exists(role) ? Files.readString(role).strip() : "down";
    }

    /** Runs tandemctl inside a node's namespace against its admin endpoint. */
    Tools.Result tandemctl(String name, String... args) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", nodes.get(name).ns,
                Tools.repositoryRoot().resolve("tools/tandemctl").toString(), "--config",
                dir.resolve(name).resolve("admin.conf").toString()));
        all.addAll(List.of(args));
        return Tools.run(120, all);
    }

    /** Cuts (or restores) a node's heartbeat link, leaving its data network alone. */
    void heartbeatLink(String name, boolean up) {
        sh("ip", "-n", nodes.get(name).ns, "link", "set", "eth1", up ? "up" : "down");
    }

    /** Sends raw UDP datagrams from the stranger's namespace to a heartbeat address and port. */
    void sendFromStranger(String address, int port, List<byte[]> datagrams) throws IOException {
        StringBuilder hex = new StringBuilder();
        for (byte[] d : datagrams) {
            hex.append(java.util.HexFormat.of().formatHex(d)).append('\n');
        }
        Path file = dir.resolve("stranger.hex");
        Files.writeString(file, hex.toString());
        sh("ip", "netns", "exec", ns("x"), "/usr/bin/python3", "-c", String.join("\n",
                "import socket, sys",
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)",
                "for line in open(sys.argv[1]):",
                "    s.sendto(bytes.fromhex(line.strip()), (sys.argv[2], int(sys.argv[3])))"),
                file.toString(), address, String.valueOf(port));
    }

    /** Runs a command in the initiator's namespace. */
    List<String> initiator(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns("i")));
        if (System.getenv("TANDEM_LIBISCSI_DEBUG") != null) {
            all.addAll(List.of("env", "LIBISCSI_DEBUG=" + System.getenv("TANDEM_LIBISCSI_DEBUG")));
        }
        all.addAll(List.of(command));
        return all;
    }

    Path dir() {
        return dir;
    }

    String url() {
        return "iscsi://" + FLOATING + ":3260/" + TARGET + "/0";
    }

    /** The nodes' cluster log lines, for a failing assertion's message. */
    String clusterLog() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes.values()) {
            n.lines.stream().filter(l -> l.contains("cluster") || l.contains("group ") || l.contains("ERROR")
                    || l.contains("login") || l.contains("connection lost"))
                    .forEach(l -> b.append(n.name).append("| ").append(l).append('\n'));
        }
        return b.toString();
    }

    @Override
    public void close() {
        // The DRBD steps' durations, one line each, those that failed, and why a promote dropped DRBD's connection
        // first, so that a run's output shows what promoting and demoting cost.
        for (Node n : nodes.values()) {
            n.lines.stream().filter(l -> l.contains(" DRBD ") && (l.contains(" ms)") || l.contains("failed after"))
                            || l.contains("disconnect --force"))
                    .forEach(l -> System.out.println("cluster e2e: " + n.name + "| " + l));
        }
        for (Node n : nodes.values()) {
            if (n.process != null) {
                n.process.destroyForcibly();
                try {
                    n.process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (String ns : namespaces) {
            Tools.run(10, "ip", "netns", "pids", ns).output().lines().forEach(pid -> Tools.run(5, "kill", "-9", pid));
            Tools.run(10, "ip", "netns", "del", ns);
        }
    }
}
