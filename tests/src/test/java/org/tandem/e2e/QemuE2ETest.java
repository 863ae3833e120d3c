package org.tandem.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** qemu's iSCSI driver (libiscsi underneath) writing and reading VM-disk-like data. */
class QemuE2ETest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needQemu() {
        Tools.Result probe = Tools.run(20, "qemu-img", "--help");
        assumeTrue(probe.ok() && probe.output().contains("iscsi"),
                "qemu-img with the iSCSI driver is not installed (apt-get install qemu-utils qemu-block-extra)");
    }

    @Test
    void anImageWrittenWithQemuImgReadsBackByteIdentical() throws Exception {
        byte[] image = new byte[16 * 1024 * 1024 + 4096 + 512]; // not a multiple of anything qemu likes
        new Random(42).nextBytes(image);
        Path src = dir.resolve("src.raw");
        Files.write(src, image);
        try (TargetFixture t = TargetFixture.simple(dir)) {
            Tools.Result w = Tools.run(120, "qemu-img", "convert", "-n", "-f", "raw", "-O", "raw", src.toString(),
                    t.url(0));
            assertThat(w.ok()).as(w.output()).isTrue();
            Path back = dir.resolve("back.raw");
            Tools.Result r = Tools.run(120, "qemu-img", "convert", "-f", "raw", "-O", "raw", t.url(0),
                    back.toString());
            assertThat(r.ok()).as(r.output()).isTrue();
            byte[] read = Files.readAllBytes(back);
            assertThat(read.length).isEqualTo(64 * 1024 * 1024);
            assertThat(java.util.Arrays.equals(read, 0, image.length, image, 0, image.length)).isTrue();
            for (int i = image.length; i < read.length; i++) {
                if (read[i] != 0) {
                    throw new AssertionError("byte " + i + " beyond the image is not zero");
                }
            }
        }
    }

    @Test
    void severalQemuIoClientsWriteAndVerifyTheirOwnRegionsAtOnce() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "QueuedCommands 64")) {
            int clients = 6;
            List<CompletableFuture<Tools.Result>> runs = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int pattern = 0x11 * (i + 1);
                long offset = (long) i * 8 * 1024 * 1024;
                List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
                for (int k = 0; k < 8; k++) {
                    long at = offset + k * 1024L * 1024;
                    cmd.addAll(List.of("-c", "write -P " + pattern + " " + at + " 1M"));
                }
                cmd.addAll(List.of("-c", "read -P " + pattern + " " + offset + " 8M", t.url(0)));
                runs.add(CompletableFuture.supplyAsync(() -> Tools.run(120, cmd)));
            }
            for (CompletableFuture<Tools.Result> run : runs) {
                Tools.Result r = run.join();
                assertThat(r.ok()).as(r.output()).isTrue();
                assertThat(r.output()).doesNotContain("Pattern verification failed");
            }
            // and each region still holds its own pattern once all are done
            for (int i = 0; i < clients; i++) {
                int pattern = 0x11 * (i + 1);
                Tools.Result verify = Tools.run(60, "qemu-io", "-f", "raw", "-c",
                        "read -P " + pattern + " " + ((long) i * 8 * 1024 * 1024) + " 8M", t.url(0));
                assertThat(verify.ok() && !verify.output().contains("Pattern verification failed"))
                        .as(verify.output()).isTrue();
            }
        }
    }
}
