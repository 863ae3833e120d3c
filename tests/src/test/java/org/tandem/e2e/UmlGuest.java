package org.tandem.e2e;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One Linux guest for end-to-end tests: Debian's User-Mode Linux kernel ({@code linux.uml}, package
 * user-mode-linux) run as an ordinary process inside a {@link TestbedNetwork}. Its root file system is this
 * machine's {@code /}, read-only through hostfs, under a tmpfs overlay (see {@code uml/init.sh}), so the host's
 * own programs (open-iscsi, sg3_utils, python) run unchanged inside a real kernel of their own with the
 * modules of the UML package. Its {@code eth0} is a tap on the bed's bridge.
 *
 * <p>Commands reach the guest through a spool directory both sides see (a writable hostfs mount in the guest,
 * served by {@code uml/agent.py}): no network port is involved, so a test can take the guest's network down and
 * still talk to it. Each command has a time limit enforced in the guest (the command's process group is killed)
 * and again here.
 *
 * <p>The guest runs in a process group of its own ({@code setsid}); {@link #close()} asks it to power off, waits
 * a bounded time, then kills the group. A later test bed can boot several guests on one network, each with its
 * own work directory, and block devices ({@code /dev/ubda}, {@code /dev/ubdb}...) backed by files of this machine.
 */
final class UmlGuest implements AutoCloseable {
    /** Where Debian's user-mode-linux package puts the kernel and its modules. */
    static final Path KERNEL = Path.of("/usr/bin/linux.uml");
    static final Path MODULES = Path.of("/usr/lib/uml/modules");

    private static final int BOOT_SECONDS = 90;
    private static final int POWER_OFF_SECONDS = 15;

    private final String name;
    private final String address;
    private final String tap;
    private final Path work;
    private final Path spool;
    private final Process process;
    private final AtomicInteger requests = new AtomicInteger();
    private final long bootMillis;

    private UmlGuest(String name, String address, String tap, Path work, Path spool, Process process,
                     long bootMillis) {
        this.name = name;
        this.address = address;
        this.tap = tap;
        this.work = work;
        this.spool = spool;
        this.process = process;
        this.bootMillis = bootMillis;
    }

    /**
     * Skips the calling test (an assumption) unless this machine can boot a guest: root, the UML kernel and its
     * modules, kmod (the guest's init loads overlayfs with insmod), {@code /dev/net/tun} and {@code ip}.
     */
    static void assumeBootable() {
        assumeTrue("0".equals(Tools.run(5, "id", "-u").output().strip()),
                "not root: User-Mode Linux guests need network namespaces and tap devices");
        assumeTrue(Files.isExecutable(KERNEL), KERNEL + " is missing: apt-get install user-mode-linux");
        assumeTrue(Files.isDirectory(MODULES), MODULES + " is missing: apt-get install user-mode-linux");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/insmod")) || Files.isExecutable(Path.of("/sbin/insmod")),
                "insmod is missing: apt-get install kmod");
        assumeTrue(Files.exists(Path.of("/dev/net/tun")), "/dev/net/tun is missing: no tap devices here");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is missing (the guest agent)");
        assumeTrue(Tools.has("ip"), "ip is missing: apt-get install iproute2");
    }

    /**
     * Boots a guest and waits until its agent answers.
     *
     * @param network the bed; a tap is added for this guest
     * @param name the guest's host name, also its UML id
     * @param hostNumber the last octet of its address in {@link TestbedNetwork#SUBNET} (10 to 99)
     * @param memoryMiB the guest's memory in MiB
     * @param work an empty directory for the guest's files (console log, spool, UML's pid file)
     * @throws IOException when the work directory cannot be written
     * @throws IllegalStateException when the guest dies or does not come up within 90 s (the console log's tail
     *     is in the message); the guest is killed then
     */
    static UmlGuest boot(TestbedNetwork network, String name, int hostNumber, int memoryMiB, Path work)
            throws IOException, InterruptedException {
        return boot(network, name, hostNumber, memoryMiB, work, List.of());
    }

    /**
     * As {@link #boot(TestbedNetwork, String, int, int, Path)}, with block devices: the guest sees {@code disks}
     * in order as {@code /dev/ubda}, {@code /dev/ubdb}... (UML's ubd driver, writing straight to the files; a
     * guest that is killed loses only what its own page cache held, as a server that loses power).
     */
    static UmlGuest boot(TestbedNetwork network, String name, int hostNumber, int memoryMiB, Path work,
                         List<Path> disks) throws IOException, InterruptedException {
        String tap = network.addTap();
        Path spool = Files.createDirectories(work.resolve("spool"));
        Path umlDir = Files.createDirectories(work.resolve("uml"));
        Path init = install("init.sh", work);
        install("agent.py", work);
        String address = TestbedNetwork.SUBNET + "." + hostNumber;
        List<String> command = new ArrayList<>(List.of("setsid"));
        command.addAll(network.inside(List.of(KERNEL.toString(),
                "umid=" + name, "uml_dir=" + umlDir, "mem=" + memoryMiB + "M",
                "root=/dev/root", "rootfstype=hostfs", "rootflags=/", "ro", "init=" + init,
                "con0=fd:0,fd:1", "con=null", "quiet",
                "eth0=tuntap," + tap + "," + String.format("52:54:00:79:00:%02x", hostNumber),
                "tandem.name=" + name, "tandem.ip=" + address + "/24", "tandem.spool=" + spool)));
        for (int i = 0; i < disks.size(); i++) {
            // inserted before the tandem.* settings; "ubd0=FILE" is the guest's /dev/ubda
            command.add(command.size() - 3, "ubd" + i + "=" + disks.get(i));
        }
        ProcessBuilder b = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("console.log").toFile());
        // UML backs the guest's memory with a file in TMPDIR: in memory here, not on the disk.
        if (Files.isDirectory(Path.of("/dev/shm"))) {
            b.environment().put("TMPDIR", "/dev/shm");
        }
        long start = System.nanoTime();
        Process process = b.start();
        long deadline = start + TimeUnit.SECONDS.toNanos(BOOT_SECONDS);
        while (!Files.exists(spool.resolve("ready")) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (!Files.exists(spool.resolve("ready"))) {
            String console = consoleTail(work);
            kill(process);
            throw new IllegalStateException("guest " + name + " did not come up"
                    + (process.isAlive() ? " within " + BOOT_SECONDS + " s" : " (it exited)") + "; console:\n"
                    + console);
        }
        return new UmlGuest(name, address, tap, work, spool, process,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /** Copies a script of the test resources (uml/RESOURCE) into {@code work}, executable. */
    static Path install(String resource, Path work) throws IOException {
        Path target = work.resolve(resource);
        try (InputStream in = UmlGuest.class.getResourceAsStream("/uml/" + resource)) {
            if (in == null) {
                throw new IOException("test resource uml/" + resource + " is missing");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        return target;
    }

    String name() {
        return name;
    }

    /** The guest's IPv4 address on the bed's bridge. */
    String address() {
        return address;
    }

    /** The tap device (in the bed's namespace, a port of its bridge) that is the guest's {@code eth0}. */
    String tap() {
        return tap;
    }

    /** The pid of the guest's kernel process, which leads the process group of everything the guest runs. */
    long pid() {
        return process.pid();
    }

    /** Whether the guest's kernel process still runs. */
    boolean alive() {
        return process.isAlive();
    }

    /** The directory this machine shares with the guest (the guest's {@code /spool}). */
    Path spool() {
        return spool;
    }

    /** From starting the kernel to the agent's first answer, in milliseconds. */
    long bootMillis() {
        return bootMillis;
    }

    /**
     * Runs a bash script in the guest as root and waits for it.
     *
     * @param timeoutSeconds the guest kills the script's process group after this many seconds (exit 124); this
     *     side gives up 15 s later (exit -1), for a guest that no longer answers
     * @return the exit status and what the script wrote to stdout and stderr
     */
    Tools.Result run(int timeoutSeconds, String script) {
        String id = String.valueOf(requests.incrementAndGet());
        Path rc = spool.resolve(id + ".rc");
        Path out = spool.resolve(id + ".out");
        try {
            Path draft = spool.resolve("." + id + ".draft");
            Files.writeString(draft, timeoutSeconds + "\n" + script + "\n");
            // The agent acts on *.cmd only, and the rename makes it appear whole.
            Files.move(draft, spool.resolve(id + ".cmd"), StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 15L);
            while (!Files.exists(rc) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!Files.exists(rc)) {
                return new Tools.Result(-1, "guest " + name + (process.isAlive() ? " did not answer within "
                        + (timeoutSeconds + 15) + " s" : " is gone") + ": " + script + "\nconsole:\n"
                        + consoleTail(work));
            }
            Tools.Result result = new Tools.Result(Integer.parseInt(Files.readString(rc).strip()),
                    Files.readString(out, StandardCharsets.UTF_8));
            for (String suffix : List.of(".cmd", ".out", ".rc")) {
                Files.deleteIfExists(spool.resolve(id + suffix));
            }
            return result;
        } catch (IOException e) {
            return new Tools.Result(-2, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Tools.Result(-3, "interrupted");
        }
    }

    /** The last 40 lines the guest's console printed (kernel messages and init's complaints). */
    String consoleTail() {
        return consoleTail(work);
    }

    private static String consoleTail(Path work) {
        try {
            List<String> lines = Files.readAllLines(work.resolve("console.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console log: " + e + ")";
        }
    }

    /** Asks the guest to power off, waits up to 15 s, then kills its whole process group. */
    @Override
    public void close() throws InterruptedException {
        try {
            Files.writeString(spool.resolve("poweroff"), "\n");
        } catch (IOException e) {
            // the spool is gone: nothing to ask, only to kill
        }
        process.waitFor(POWER_OFF_SECONDS, TimeUnit.SECONDS);
        // Whether it powered off or not: UML's helper processes may outlive the kernel process for a moment.
        kill(process);
    }

    private static void kill(Process process) {
        // setsid made the kernel process the leader of a group that holds every helper it forks.
        Tools.run(5, "kill", "-9", "--", "-" + process.pid());
        process.destroyForcibly();
    }
}
