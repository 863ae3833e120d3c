package org.tandem.e2e;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A two-server Tandem cluster on the real components, in {@link UmlGuest}s on one {@link TestbedNetwork}: two
 * storage guests ({@value #FIRST} and {@value #SECOND}) with a sparse file of this machine as their disk, LVM on
 * it, DRBD 8.4 replicating a logical volume between them (the project's {@code etc/drbd.d/r0-8.4.res}), each
 * running Tandem's {@code --ha} daemon; a third guest as kernel initiator; and a network power switch on the
 * bridge ({@code uml/power-switch.py}) that Tandem's fence_command ({@code uml/fence-power-switch}) calls.
 *
 * <p>Everything the bed starts is bounded in time and ends in {@link #close()}: guests by their process group,
 * the switch by pid, the namespace with whatever still runs in it, and the bed's directory.
 */
final class UmlClusterBed implements AutoCloseable {
    static final String FIRST = "storage1";
    static final String SECOND = "storage2";
    static final String TARGET = "iqn.2026-11.org.tandem.test:db";
    static final String FLOATING = TestbedNetwork.SUBNET + ".100";
    private static final int SWITCH_PORT = 7001;
    private static final int DISK_MIB = 512;
    private static final int VOLUME_MIB = 256;
    private static final int STORAGE_MEMORY_MIB = 768;
    private static final int INITIATOR_MEMORY_MIB = 256;
    /** The JVM in a guest: C1 only and the serial collector start in about half the time on this 2-core host. */
    private static final String JAVA = "java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx192m";

    private final Path dir;
    private final TestbedNetwork network;
    private final Map<String, UmlGuest> storage = new LinkedHashMap<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private Process powerSwitch;
    private KernelInitiator initiator;

    private UmlClusterBed(Path dir, TestbedNetwork network) {
        this.dir = dir;
        this.network = network;
    }

    /**
     * Skips the calling test unless this machine can run the bed: what {@link UmlGuest#assumeBootable()} needs,
     * the built jar, and the host programs the guests run (drbd-utils, lvm2, open-iscsi, socat, arping).
     */
    static void assumeRunnable() {
        UmlGuest.assumeBootable();
        Map<String, String> tools = new LinkedHashMap<>();
        tools.put("/usr/sbin/drbdadm", "drbd-utils");
        tools.put("/usr/sbin/lvm", "lvm2");
        tools.put("/usr/sbin/iscsiadm", "open-iscsi");
        tools.put("/usr/sbin/iscsid", "open-iscsi");
        tools.put("/usr/bin/socat", "socat");
        tools.put("/usr/bin/arping", "iputils-arping");
        tools.forEach((tool, pkg) -> assumeTrue(Files.isExecutable(Path.of(tool)),
                tool + " is missing: apt-get install " + pkg));
        try (Stream<Path> modules = Files.walk(UmlGuest.MODULES)) {
            assumeTrue(modules.anyMatch(p -> p.getFileName().toString().equals("drbd.ko")),
                    "the User-Mode Linux kernel has no DRBD module under " + UmlGuest.MODULES);
        } catch (IOException e) {
            assumeTrue(false, "cannot read " + UmlGuest.MODULES + ": " + e);
        }
        DaemonProcess.jar();
    }

    /**
     * Starts the switch, boots the three guests, sets up LVM and DRBD (with a full initial sync) on the storage
     * guests and writes each storage guest's Tandem configuration. The daemons are not started yet.
     */
    static UmlClusterBed create() throws Exception {
        Path dir = Files.createTempDirectory("tandem-uml-cluster-");
        UmlClusterBed bed = new UmlClusterBed(dir, TestbedNetwork.create());
        try {
            bed.startPowerSwitch();
            for (String name : List.of(FIRST, SECOND)) {
                bed.bootStorage(name);
            }
            bed.bootInitiator();
            bed.replicate();
            for (String name : List.of(FIRST, SECOND)) {
                bed.writeClusterFiles(name);
            }
            return bed;
        } catch (Exception | AssertionError e) {
            bed.close();
            throw e;
        }
    }

    private void startPowerSwitch() throws IOException, InterruptedException {
        Path script = UmlGuest.install("power-switch.py", dir);
        UmlGuest.install("fence-power-switch", dir);
        Files.createDirectories(dir.resolve("pids"));
        Path log = dir.resolve("power-switch.log");
        powerSwitch = new ProcessBuilder(network.inside(List.of("/usr/bin/python3", script.toString(),
                TestbedNetwork.bridgeAddress(), String.valueOf(SWITCH_PORT), dir.resolve("pids").toString())))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains("listening") && powerSwitch.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(log)).as("the power switch starts").contains("listening");
    }

    private void bootStorage(String name) throws IOException, InterruptedException {
        Path disk = dir.resolve(name + ".img");
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "rw")) {
            raf.setLength((long) DISK_MIB << 20);
        }
        bootStorage(name, disk);
    }

    private void bootStorage(String name, Path disk) throws IOException, InterruptedException {
        int host = name.equals(FIRST) ? 11 : 12;
        UmlGuest g = UmlGuest.boot(network, name, host, STORAGE_MEMORY_MIB,
                Files.createDirectories(dir.resolve(name)), List.of(disk));
        storage.put(name, g);
        // The switch finds a guest's process group by this file.
        Files.writeString(dir.resolve("pids").resolve(name + ".pid"), g.pid() + "\n");
        figures.put("boot " + name, g.bootMillis() + " ms");
    }

    /**
     * Powers a storage guest that the switch turned off on again, as its operator would after a fence: boots it
     * on the same disk (what its page cache held is gone), activates LVM, brings DRBD up (it reconnects to the
     * survivor, which must be listening, and resyncs what changed), then starts its daemon. The previous boot's
     * spool (its daemon's log) is kept beside the new one.
     *
     * @return how long each part took, for the test's figures
     */
    Map<String, Long> powerOn(String name) throws Exception {
        UmlGuest old = storage.get(name);
        assertThat(old.alive()).as(name + " is off").isFalse();
        old.close();
        Path work = dir.resolve(name);
        Files.move(work.resolve("spool"), work.resolve("spool-" + System.nanoTime()));
        Map<String, Long> took = new LinkedHashMap<>();
        long t = System.nanoTime();
        bootStorage(name, dir.resolve(name + ".img"));
        took.put("boot", millisSince(t));
        t = System.nanoTime();
        ok(name, 60, storageSetup() + "vgchange -q -ay vg0 && drbdadm up r0");
        took.put("LVM and DRBD up", millisSince(t));
        t = System.nanoTime();
        // DRBD's state, not the test's wish: a survivor left StandAlone after the fence never reconnects.
        ok(name, 130, "for i in $(seq 1200); do grep -q 'cs:Connected.*ds:UpToDate/UpToDate' /proc/drbd && exit 0;"
                + " sleep 0.1; done; echo 'not connected and in sync after 120 s:'; cat /proc/drbd; exit 1");
        took.put("DRBD reconnect and resync", millisSince(t));
        t = System.nanoTime();
        String other = name.equals(FIRST) ? SECOND : FIRST;
        int mark = log(other).length();
        startDaemon(name);
        awaitLog(name, "peer " + other + " alive", 90);
        awaitLog(other, mark, "peer " + name + " alive", 30);
        took.put("daemon joined", millisSince(t));
        // The warm-up's own duration, as it logged it: "... in N ms (each: ...)".
        Matcher warm = Pattern.compile(" in (\\d+) ms").matcher(awaitWarmUp(name, 60));
        took.put("warm-up", warm.find() ? Long.parseLong(warm.group(1)) : -1);
        return took;
    }

    private void bootInitiator() throws IOException, InterruptedException {
        UmlGuest g = UmlGuest.boot(network, "initiator", 13, INITIATOR_MEMORY_MIB,
                Files.createDirectories(dir.resolve("initiator")));
        Files.writeString(dir.resolve("pids").resolve("initiator.pid"), g.pid() + "\n");
        figures.put("boot initiator", g.bootMillis() + " ms");
        initiator = new KernelInitiator(g);
        initiator.start();
    }

    /** The project's DRBD 8.4 resource with the bed's addresses, and a fast resync for the initial sync. */
    private String resource() throws IOException {
        String shipped = Files.readString(Tools.repositoryRoot().resolve("etc/drbd.d/r0-8.4.res"));
        String bed = shipped.replace("10.0.2.1:", address(FIRST) + ":").replace("10.0.2.2:", address(SECOND) + ":");
        assertThat(bed).as("etc/drbd.d/r0-8.4.res names storage1 10.0.2.1 and storage2 10.0.2.2")
                .contains(address(FIRST)).contains(address(SECOND));
        // Test bed only: the default resync controller syncs a fresh volume in minutes, not seconds.
        return bed.replace("meta-disk internal;", "meta-disk internal;\n  disk { c-plan-ahead 0; resync-rate 400M; }");
    }

    static String address(String name) {
        return TestbedNetwork.SUBNET + "." + (name.equals(FIRST) ? 11 : 12);
    }

    /**
     * What a storage guest's /etc needs for LVM and DRBD: the guest's root is a tmpfs overlay, so this is lost
     * at every power-off and written again at every boot, as a server's configuration management would.
     */
    private String storageSetup() throws IOException {
        return """
                modprobe drbd
                # No udev in the guest: LVM must make its /dev nodes itself and not wait for udev.
                cat > /etc/lvm/lvmlocal.conf <<'LVM'
                activation { udev_sync = 0 udev_rules = 0 monitoring = 0 }
                devices { obtain_device_list_from_udev = 0 }
                global { use_lvmpolld = 0 }
                LVM
                mkdir -p /etc/drbd.d
                cat > /etc/drbd.d/r0.res <<'RES'
                %s
                RES
                """.formatted(resource());
    }

    /** LVM on each storage guest's disk, DRBD r0 on the logical volume, the initial sync; both end Secondary. */
    private void replicate() throws IOException {
        for (String name : List.of(FIRST, SECOND)) {
            long t = System.nanoTime();
            ok(name, 120, storageSetup() + """
                    pvcreate -q /dev/ubda && vgcreate -q vg0 /dev/ubda && lvcreate -q -y -L %dM -n db vg0 || exit 1
                    drbdadm -- --force create-md r0 && drbdadm up r0
                    """.formatted(VOLUME_MIB));
            figures.put("LVM + DRBD up " + name, millisSince(t) + " ms");
        }
        long t = System.nanoTime();
        ok(FIRST, 60, "for i in $(seq 300); do grep -q cs:Connected /proc/drbd && exit 0; sleep 0.1; done; "
                + "cat /proc/drbd; exit 1");
        figures.put("DRBD connect", millisSince(t) + " ms");
        t = System.nanoTime();
        ok(FIRST, 300, "drbdadm primary --force r0 || exit 1; for i in $(seq 2500); do "
                + "grep -q ds:UpToDate/UpToDate /proc/drbd && exit 0; sleep 0.1; done; cat /proc/drbd; exit 1");
        figures.put("DRBD initial sync " + VOLUME_MIB + " MiB", millisSince(t) + " ms");
        // Tandem promotes the preferred node itself; nobody is Primary when the daemons start.
        ok(FIRST, 30, "drbdadm secondary r0");
    }

    /** ietd.conf and ha.d/ (ha.cf, authkeys, haresources) of one storage guest, in DIR/NAME/tandem. */
    private void writeClusterFiles(String name) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("tandem"));
        Path ha = Files.createDirectories(home.resolve("ha.d"));
        Files.writeString(home.resolve("admin.conf"), "Listen 127.0.0.1:8260\nTokenFile admin.token\n");
        Files.writeString(home.resolve("ietd.conf"), """
                Target %s
                  Lun 0 Path=/dev/drbd0,Type=blockio,IOMode=wt,ScsiId=db-lun0,ScsiSN=DB0000
                  MaxConnections 1
                  # Lets an initiator that asks for 0 reconnect at once (the result is the larger of the two).
                  DefaultTime2Wait 0
                """.formatted(TARGET));
        Files.writeString(ha.resolve("ha.cf"), """
                node %s %s
                keepalive 200ms
                warntime 600ms
                deadtime 1
                initdead 10
                udpport 694
                ucast eth0 %s
                ucast eth0 %s
                auto_failback off
                fence_command %s
                fence_delay %s 1
                """.formatted(FIRST, SECOND, address(FIRST), address(SECOND), dir.resolve("fence-power-switch"),
                SECOND));
        Files.writeString(ha.resolve("authkeys"), "auth 1\n1 sha256 uml-cluster-bed-secret-0123456789\n");
        Files.setPosixFilePermissions(ha.resolve("authkeys"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(ha.resolve("haresources"), FIRST + " group::db drbddisk::r0 iscsi-target::" + TARGET
                + " IPaddr::" + FLOATING + "/24/eth0\n");
    }

    /** Starts Tandem's --ha daemon in a storage guest; its output goes to the guest's spool (tandem.log). */
    void startDaemon(String name) {
        Path home = dir.resolve(name).resolve("tandem");
        ok(name, 20, """
                setsid nohup %s -Dlog4j2.configurationFile=%s -jar %s --config %s --portal 0.0.0.0:3260 \
                  --ha %s --node %s >> /spool/tandem.log 2>&1 < /dev/null &
                echo $! > /run/tandem.pid
                """.formatted(JAVA, Tools.repositoryRoot().resolve("etc/log4j2.xml"), DaemonProcess.jar(),
                home.resolve("ietd.conf"), home.resolve("ha.d"), name));
    }

    /** Runs tandemctl in a storage guest against its daemon's admin endpoint (loopback, the guest's token). */
    Tools.Result tandemctl(String name, String... args) {
        return guest(name).run(120, "TANDEM_JAVA_OPTS='-XX:+UseSerialGC' " + Tools.repositoryRoot().resolve(
                "tools/tandemctl") + " --config " + dir.resolve(name).resolve("tandem/admin.conf") + " "
                + String.join(" ", args));
    }

    /** Kills a storage guest's daemon with SIGKILL (a crash: no cleanup, the address and DRBD role stay). */
    void killDaemon(String name) {
        ok(name, 20, "kill -9 $(cat /run/tandem.pid)");
    }

    /** The storage guests that are on and hold the floating address now. */
    List<String> holders() {
        List<String> on = new ArrayList<>();
        for (String name : List.of(FIRST, SECOND)) {
            if (guest(name).alive() && guest(name).run(10, "ip -o addr show dev eth0 | grep -qF ' " + FLOATING
                    + "/'").exit() == 0) {
                on.add(name);
            }
        }
        return on;
    }

    /** The other storage guest. */
    static String peerOf(String name) {
        return name.equals(FIRST) ? SECOND : FIRST;
    }

    /**
     * Cuts the link between the two storage guests, or restores it: their bridge ports are isolated, so heartbeats
     * and DRBD between them stop, while each still reaches the initiator and the power switch.
     */
    void cutStorageLink(boolean cut) {
        for (String name : List.of(FIRST, SECOND)) {
            network.isolate(guest(name).tap(), cut);
        }
    }

    /** What the daemon of a storage guest logged so far (readable after the guest is powered off too). */
    String log(String name) {
        try {
            return Files.readString(guest(name).spool().resolve("tandem.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits (bounded) until the daemon of a storage guest logged {@code text}; fails with its log otherwise, at
     * once when the daemon said it cannot start (Tandem opening a Secondary DRBD device gets EROFS, say).
     */
    void awaitLog(String name, String text, int seconds) throws InterruptedException {
        awaitLog(name, 0, text, seconds);
    }

    /** As {@link #awaitLog(String, String, int)}, in what the daemon logged after the first {@code from} chars. */
    void awaitLog(String name, int from, String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!since(name, from).contains(text) && !since(name, from).contains("cannot start")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(since(name, from)).as(name + " logs '" + text + "'").contains(text);
    }

    /**
     * Waits (bounded) until the daemon of a storage guest has warmed its login and command code (StartupWarmUp),
     * so that a takeover measured next does not share the guest's one CPU with it; returns what it logged ("3
     * loopback session(s) ... in N ms (each: [...] ms)"), for the figures.
     */
    String awaitWarmUp(String name, int seconds) throws InterruptedException {
        awaitLog(name, "warm-up: ", seconds);
        String log = log(name);
        String line = log.substring(log.indexOf("warm-up: ") + "warm-up: ".length());
        return line.lines().findFirst().orElse("");
    }

    private String since(String name, int from) {
        String log = log(name);
        return log.substring(Math.min(from, log.length()));
    }

    /** Powers a guest off through the switch, as fencing does, and returns the switch's answer. */
    String powerOff(String name) {
        return powerSwitch("off " + name);
    }

    /** Sends one request to the power switch ({@code off|status|hold|release NAME}) and returns its answer. */
    String powerSwitch(String request) {
        return Tools.run(20, network.inside(List.of("/bin/sh", "-c", "echo " + request + " | socat -t 15 - TCP:"
                + TestbedNetwork.bridgeAddress() + ":" + SWITCH_PORT))).output().strip();
    }

    /** The power switch's log: every request, its answer and how long it took. */
    String switchLog() throws IOException {
        return Files.readString(dir.resolve("power-switch.log"));
    }

    UmlGuest guest(String name) {
        return storage.get(name);
    }

    KernelInitiator initiator() {
        return initiator;
    }

    /** Timings measured while setting up, in order: guest boots, LVM and DRBD, the initial sync. */
    Map<String, String> figures() {
        return figures;
    }

    /** Runs a script in a storage guest and fails, with its output, unless it exits 0. */
    String ok(String name, int seconds, String script) {
        Tools.Result r = guest(name).run(seconds, script);
        assertThat(r.exit()).as("in " + name + ":\n" + script + "\n--- output:\n" + r.output()).isZero();
        return r.output();
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        List<UmlGuest> all = new ArrayList<>(storage.values());
        if (initiator != null) {
            all.add(initiator.guest());
        }
        for (UmlGuest g : all) {
            try {
                g.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (powerSwitch != null) {
            powerSwitch.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        network.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }
}
