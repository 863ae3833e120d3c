package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pair of storage nodes in network namespaces (see {@link ClusterHarness}), with qemu's initiator on a third
 * host writing to the floating portal while nodes die, links are cut and groups are switched over.
 */
class ClusterE2ETest {
    private static final int BLOCK = 64 * 1024;
    private static final int REGION = 512; // 512 x 64 KiB = 32 MiB of the 64 MiB LUN

    @TempDir
    Path dir;

    /** Writes numbered 64 KiB blocks, each with its own pattern; remembers which were acknowledged. */
    private static final class Writer {
        final QemuIoSession io;
        final List<Integer> acknowledged = new ArrayList<>();
        final List<String> errors = new ArrayList<>();
        final List<Long> ackTimes = new ArrayList<>();

        Writer(QemuIoSession io) {
            this.io = io;
        }

        static int pattern(int i) {
            return 1 + (i * 7) % 250;
        }

        void write(int i) throws Exception {
            QemuIoSession.Answer a = io.run("write -P " + pattern(i) + " " + (long) (i % REGION) * BLOCK + " "
                    + BLOCK, 60);
            if (a.ok()) {
                acknowledged.add(i);
                ackTimes.add(a.nanos());
            } else {
                errors.add(i + ": " + a.line());
            }
        }

        /** Reads back the newest acknowledged write of every block: each must carry its pattern. */
        List<String> verify(QemuIoSession reader) throws Exception {
            List<String> bad = new ArrayList<>();
            int[] newest = new int[REGION];
            java.util.Arrays.fill(newest, -1);
            acknowledged.forEach(i -> newest[i % REGION] = i);
            for (int b = 0; b < REGION; b++) {
                if (newest[b] >= 0) {
                    QemuIoSession.Answer a = reader.run("read -P " + pattern(newest[b]) + " " + (long) b * BLOCK + " "
                            + BLOCK, 60);
                    if (!a.ok()) {
                        bad.add("block " + b + " (write " + newest[b] + "): " + a.line());
                    }
                }
            }
            return bad;
        }
    }

    @Test
    void nodeDeathUnderLoadTheSurvivorFencesTakesOverAndNoAcknowledgedWriteIsLost() throws Exception {
        try (ClusterHarness h = ClusterHarness.create(dir, "")) {
            h.start("a");
            h.start("b");
            h.awaitLog("a", "group ha SERVING", 30);
            h.awaitLog("b", "peer a alive", 30);
            assertThat(h.holdsFloating("a")).isTrue();
            assertThat(h.holdsFloating("b")).isFalse();
            Writer w;
            long deathNanos;
            try (QemuIoSession io = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                w = new Writer(io);
                for (int i = 0; i < 100; i++) {
                    w.write(i);
                }
                deathNanos = System.nanoTime();
                h.powerOff("a");
                for (int i = 100; i < 300; i++) {
                    w.write(i);
                }
            }
            long firstAfter = w.ackTimes.stream().filter(t -> t > deathNanos).findFirst().orElse(-1L);
            long millis = firstAfter < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstAfter - deathNanos);
            System.out.println("cluster e2e: node death to first completed write on the survivor: " + millis + " ms");
            assertThat(w.errors).as("writes the initiator saw fail").isEmpty();
            assertThat(w.acknowledged).hasSize(300);
            assertThat(millis).isPositive();
            assertThat(Files.readString(dir.resolve("fenced"))).contains("a");
            assertThat(h.holdsFloating("b")).isTrue();
            h.awaitLog("b", "group ha SERVING", 10);
            try (QemuIoSession reader = new QemuIoSession(h.initiator("qemu-io", "-f", "raw", h.url()))) {
                assertThat(w.verify(reader)).as("acknowledged writes that did not read back").isEmpty();
            }
        }
    }
}
