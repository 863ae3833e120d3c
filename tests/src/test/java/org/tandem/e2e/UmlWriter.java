package org.tandem.e2e;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer in the kernel initiator's guest, as a VM's disk sees the LUN: one Python process (a fork per block
 * costs about half a second in a UML guest on this host) writes block i of the disk as
 * {@code "round R block %08d TIME"} with O_DIRECT|O_DSYNC, and appends {@code "i TIME"} to /run/writer.log only
 * after the write returned, i.e. after the target acknowledged it. A failed write goes to /run/writer.failed with
 * its error and the writer moves on. The round number makes each run's blocks its own: a block an earlier run
 * left on the disk does not pass for this run's.
 *
 * <p>It runs in a session of its own in the guest, so the agent's time limit does not reach it; {@link #stop()}
 * ends it (bounded). The guest's kernel log is cleared at the start, so {@link #errors()} sees this run only.
 */
final class UmlWriter {
    /** At most this many blocks per run (the bed's volume holds 65536). */
    private static final int MOST_BLOCKS = 60000;

    private final KernelInitiator initiator;
    private final String disk;
    private final int round;

    private UmlWriter(KernelInitiator initiator, String disk, int round) {
        this.initiator = initiator;
        this.disk = disk;
        this.round = round;
    }

    /** Starts round {@code round} on {@code disk} (a /dev/sdX of the initiator guest). */
    static UmlWriter start(KernelInitiator initiator, String disk, int round) {
        initiator.ok(20, """
                cat > /run/writer.py <<'W'
                import mmap, os, sys, time
                fd = os.open(sys.argv[1], os.O_WRONLY | os.O_DIRECT | os.O_DSYNC)
                block = mmap.mmap(-1, 4096)  # page-aligned, as O_DIRECT wants
                log = open('/run/writer.log', 'a', buffering=1)
                failed = open('/run/writer.failed', 'a', buffering=1)
                i = 0
                while os.path.exists('/run/writing') and i < %d:
                    block.seek(0)
                    block.write((b'round %%d block %%08d %%.6f' %% (%d, i, time.time())).ljust(4096, b'\\0'))
                    try:
                        os.pwrite(fd, block, i * 4096)
                        log.write('%%d %%.6f\\n' %% (i, time.time()))
                    except OSError as e:
                        failed.write('%%d %%.6f %%s\\n' %% (i, time.time(), e))
                    i += 1
                W
                rm -f /run/writer.log /run/writer.failed /run/writer.err
                dmesg -C
                touch /run/writing /run/writer.log
                setsid nohup python3 /run/writer.py %s > /run/writer.err 2>&1 < /dev/null &
                echo $! > /run/writer.pid
                """.formatted(MOST_BLOCKS, round, disk));
        return new UmlWriter(initiator, disk, round);
    }

    /** Blocks acknowledged so far. */
    int acknowledged() {
        return Integer.parseInt(initiator.ok(10, "wc -l < /run/writer.log").strip());
    }

    /** Waits (bounded) until {@code blocks} blocks are acknowledged; fails with the initiator's state otherwise. */
    void awaitBlocks(int blocks, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (acknowledged() < blocks && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(acknowledged()).as("blocks the writer got acknowledged within " + seconds + " s; "
                + initiator.diagnostics()).isGreaterThanOrEqualTo(blocks);
    }

    /** Stops the writer, waits for it (bounded) and returns the number of the last acknowledged block. */
    int stop() {
        initiator.ok(60, "rm -f /run/writing; p=$(cat /run/writer.pid); "
                + "for i in $(seq 500); do kill -0 $p 2>/dev/null || exit 0; sleep 0.1; done; exit 1");
        return Integer.parseInt(initiator.ok(10, "tail -1 /run/writer.log | cut -d' ' -f1").strip());
    }

    /** A stopped run: its last acknowledged block, the errors the guest saw, and the read-back check. */
    record Finished(int last, String errors, String check) {
        /** Fails unless the guest saw no I/O error and every acknowledged block reads back as written. */
        void assertClean(String run) {
            assertThat(errors).as("I/O errors in the initiator guest, " + run).isEmpty();
            assertThat(check).as("every acknowledged block reads back, " + run).contains("bad 0 []");
        }
    }

    /** Stops the writer, then collects the guest's errors and reads every acknowledged block back. */
    Finished finish() {
        int last = stop();
        return new Finished(last, errors(), check(last));
    }

    /** Failed writes, the writer's own errors, and I/O errors in the guest's kernel log; empty when none. */
    String errors() {
        return initiator.ok(30, "cat /run/writer.err /run/writer.failed 2>/dev/null; "
                + "dmesg | grep -iE 'I/O error|rejecting I/O|blk_update_request|Buffer I/O' ; true").strip();
    }

    /** The longest time between two acknowledged blocks, in seconds, among blocks {@code from}..{@code to}. */
    double longestPause(int from, int to) {
        return Double.parseDouble(initiator.ok(30, ("awk -v f=%d -v t=%d '$1 > f && $1 <= t { g = $2 - p; "
                + "if (g > m) m = g } { p = $2 } END { printf \"%%.2f\", m }' /run/writer.log").formatted(from, to))
                .strip());
    }

    /** Blocks per second among blocks {@code from}..{@code to}. */
    double pace(int from, int to) {
        return Double.parseDouble(initiator.ok(30, ("awk -v f=%d -v t=%d '$1 == f { a = $2 } $1 == t { b = $2 } "
                + "END { printf \"%%.1f\", (t - f) / (b - a) }' /run/writer.log").formatted(from, to)).strip());
    }

    /**
     * Reads blocks 0..{@code last} back (O_DIRECT, so from the target, not the guest's cache) and returns
     * {@code "checked N bad B [first bad blocks]"}; every one must be this round's.
     */
    String check(int last) {
        return initiator.ok(120, """
                n=%d
                dd if=%s bs=4096 count=$n iflag=direct status=none | python3 -c '
                import sys
                data = sys.stdin.buffer.read()
                bad = [i for i in range(%d) if not data[i * 4096:].startswith(b"round %d block %%08d " %% i)]
                print("checked", %d, "bad", len(bad), bad[:10])
                '
                """.formatted(last + 1, disk, last + 1, round, last + 1)).strip();
    }
}
