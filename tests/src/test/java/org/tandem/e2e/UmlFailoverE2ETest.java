package org.tandem.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover on the real components ({@link UmlClusterBed}): real DRBD 8.4 on LVM in two User-Mode Linux guests,
 * Tandem's own {@code --ha} pair in them, fencing through a network power switch, and the Linux kernel's iSCSI
 * initiator in a third guest writing numbered blocks with O_DIRECT|O_DSYNC through the floating address. The
 * figure that counts is the longest pause the initiator saw; each test prints it with the survivor's steps.
 */
class UmlFailoverE2ETest {
    /** Blocks the writer must have acknowledged before the power-off, and after the takeover. */
    private static final int BLOCKS_BEFORE = 100;
    private static final int BLOCKS_AFTER = 100;

    private static UmlClusterBed bed;
    private static String disk;

    @BeforeAll
    static void startCluster() throws Exception {
        UmlClusterBed.assumeRunnable();
        bed = UmlClusterBed.create();
        long t = System.nanoTime();
        bed.startDaemon(UmlClusterBed.FIRST);
        bed.startDaemon(UmlClusterBed.SECOND);
        bed.awaitLog(UmlClusterBed.FIRST, "group db SERVING", 90);
        bed.figures().put("JVMs started, group db serving on " + UmlClusterBed.FIRST,
                UmlClusterBed.millisSince(t) + " ms");
        bed.awaitLog(UmlClusterBed.SECOND, "peer " + UmlClusterBed.FIRST + " alive", 60);
        KernelInitiator initiator = bed.initiator();
        Tools.Result login = initiator.login(UmlClusterBed.TARGET, UmlClusterBed.FLOATING + ":3260", Map.of());
        assertThat(login.exit()).as("login: " + login.output() + "\n" + initiator.diagnostics()).isZero();
        disk = initiator.disk(initiator.sessionOf(UmlClusterBed.TARGET));
        bed.figures().forEach((k, v) -> System.out.println("UML bed: " + k + ": " + v));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void powerOffOfTheOwnerUnderWriteLoadLosesNoAcknowledgedWriteAndGivesNoIoError() throws Exception {
        KernelInitiator initiator = bed.initiator();
        startWriter(initiator);
        awaitBlocks(initiator, BLOCKS_BEFORE, 60);

        int atPowerOff = acknowledged(initiator);
        long t = System.nanoTime();
        assertThat(bed.powerOff(UmlClusterBed.FIRST)).as("the switch powers the owner off").isEqualTo("OFF");
        bed.awaitLog(UmlClusterBed.SECOND, "group db SERVING", 60);
        long takeover = UmlClusterBed.millisSince(t);
        int atTakeover = acknowledged(initiator);
        awaitBlocks(initiator, atTakeover + BLOCKS_AFTER, 120);
        long resumed = UmlClusterBed.millisSince(t);
        int last = stopWriter(initiator);

        String errors = initiator.ok(30, "cat /run/writer.err /run/writer.failed 2>/dev/null; "
                + "dmesg | grep -iE 'I/O error|rejecting I/O|blk_update_request|Buffer I/O' ; true");
        assertThat(errors.strip()).as("I/O errors in the initiator guest").isEmpty();
        String pause = initiator.ok(30, "awk 'NR > 1 { g = $2 - p; if (g > m) { m = g; at = $1 } } { p = $2 } "
                + "END { printf \"%.2f s before block %d\", m, at }' /run/writer.log");
        // The pace before the power-off (both nodes, DRBD connected) and after the takeover (the survivor alone).
        String pace = initiator.ok(30, ("awk -v s=%d -v t=%d 'NR > 1 { g = $2 - p; if ($1 < s) { b += g; nb++ } "
                + "else if ($1 > t) { a += g; na++ } } { p = $2 } "
                + "END { printf \"%%.1f blocks/s before, %%.1f after\", nb / b, na / a }' /run/writer.log")
                .formatted(atPowerOff, atTakeover));
        String check = initiator.ok(120, """
                n=%d
                dd if=%s bs=4096 count=$n iflag=direct status=none | python3 -c '
                import sys
                data = sys.stdin.buffer.read()
                bad = [i for i in range(%d) if not data[i * 4096:].startswith(b"block %%08d " %% i)]
                print("checked", %d, "bad", len(bad), bad[:10])
                '
                """.formatted(last + 1, disk, last + 1, last + 1));
        System.out.println("UML power-off of " + UmlClusterBed.FIRST + " under write load: survivor serving after "
                + takeover + " ms, writer past " + BLOCKS_AFTER + " more blocks after " + resumed
                + " ms; longest initiator-side pause " + pause + "; " + pace + "; " + check.strip());
        System.out.println("UML survivor's DRBD: " + bed.ok(UmlClusterBed.SECOND, 10, "tail -2 /proc/drbd"));
        System.out.println("UML initiator's kernel: " + initiator.ok(10, "dmesg | tail -12"));
        System.out.println("UML survivor's steps: " + steps(bed.log(UmlClusterBed.SECOND)));
        System.out.println("UML power switch:\n" + bed.switchLog());
        assertThat(check).as("every acknowledged block reads back").contains("bad 0 []");
    }

    /** The survivor's log lines about fencing and starting the group (StepTiming's figures). */
    private static String steps(String log) {
        StringBuilder s = new StringBuilder();
        Matcher m = Pattern.compile("^.*(?:cluster: (?:fenc|peer|group db)|fenced ).*$", Pattern.MULTILINE).matcher(log);
        while (m.find()) {
            s.append("\n  ").append(m.group());
        }
        return s.toString();
    }

    /**
     * Starts a writer in the initiator guest (in a session of its own, so the agent's time limit does not reach
     * it): one Python process (a fork per block costs about half a second in a UML guest on this host) writes
     * block i of the disk as "block %08d TIME" with O_DIRECT|O_DSYNC, and appends "i TIME" to /run/writer.log only
     * after the write returned, i.e. after the target acknowledged it. A failed write goes to /run/writer.failed
     * with its error and the writer moves on; removing /run/writing stops it.
     */
    private static void startWriter(KernelInitiator initiator) {
        initiator.ok(20, """
                cat > /run/writer.py <<'W'
                import mmap, os, sys, time
                fd = os.open(sys.argv[1], os.O_WRONLY | os.O_DIRECT | os.O_DSYNC)
                block = mmap.mmap(-1, 4096)  # page-aligned, as O_DIRECT wants
                log = open('/run/writer.log', 'a', buffering=1)
                failed = open('/run/writer.failed', 'a', buffering=1)
                i = 0
                while os.path.exists('/run/writing') and i < 60000:
                    block.seek(0)
                    block.write((b'block %%08d %%.6f' %% (i, time.time())).ljust(4096, b'\\0'))
                    try:
                        os.pwrite(fd, block, i * 4096)
                        log.write('%%d %%.6f\\n' %% (i, time.time()))
                    except OSError as e:
                        failed.write('%%d %%.6f %%s\\n' %% (i, time.time(), e))
                    i += 1
                W
                rm -f /run/writer.log /run/writer.failed /run/writer.err
                touch /run/writing /run/writer.log
                setsid nohup python3 /run/writer.py %s > /run/writer.err 2>&1 < /dev/null &
                echo $! > /run/writer.pid
                """.formatted(disk));
    }

    private static int acknowledged(KernelInitiator initiator) {
        return Integer.parseInt(initiator.ok(10, "wc -l < /run/writer.log").strip());
    }

    private static void awaitBlocks(KernelInitiator initiator, int blocks, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (acknowledged(initiator) < blocks && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(acknowledged(initiator)).as("blocks the writer got acknowledged within " + seconds + " s; "
                + initiator.diagnostics()).isGreaterThanOrEqualTo(blocks);
    }

    /** Stops the writer, waits for it (bounded) and returns the number of the last acknowledged block. */
    private static int stopWriter(KernelInitiator initiator) {
        initiator.ok(60, "rm -f /run/writing; p=$(cat /run/writer.pid); "
                + "for i in $(seq 500); do kill -0 $p 2>/dev/null || exit 0; sleep 0.1; done; exit 1");
        return Integer.parseInt(initiator.ok(10, "tail -1 /run/writer.log | cut -d' ' -f1").strip());
    }
}
