package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SIGHUP, as operators send it, re-reads ietd.conf: a new target appears, a running session carries on. */
class ReloadE2ETest {
    private static final String NEW_TARGET = "iqn.2026-11.org.tandem.test:added";

    @TempDir
    Path dir;

    @Test
    void sighupAddsATargetWhileAnotherSessionKeepsWritingAndVerifying() throws Exception {
        DaemonProcess.jar();
        assumeTrue(Tools.has("qemu-io") && Tools.has("iscsi-ls"), "qemu-utils or libiscsi-bin is not installed");
        for (String f : new String[] {"lun0.img", "added.img"}) {
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(f).toFile(), "rw")) {
                raf.setLength(64L << 20);
            }
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "# before the reload\nTarget " + TargetFixture.TARGET
                + "\n  Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DaemonProcess daemon = DaemonProcess.start("--config", conf.toString(), "--portal", "127.0.0.1:" + port,
                "--no-admin");
        Process io = null;
        try {
            daemon.waitFor("Tandem serving");
            String portal = "iscsi://127.0.0.1:" + port;
            List<String> qemu = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
            for (int round = 0; round < 60; round++) {
                long offset = (round % 8) * (4L << 20);
                qemu.addAll(List.of("-c", "write -P " + (0x20 + round) + " " + offset + " 4M", "-c",
                        "read -P " + (0x20 + round) + " " + offset + " 4M"));
            }
            qemu.add(portal + "/" + TargetFixture.TARGET + "/0");
            io = new ProcessBuilder(qemu).redirectErrorStream(true).redirectOutput(dir.resolve("qemu-io.log").toFile())
                    .start();
            daemon.waitFor("login: ");

            Files.writeString(conf, "\n# added while running\nTarget " + NEW_TARGET
                    + "\n  Lun 0 Path=added.img,Type=fileio\n", StandardOpenOption.APPEND);
            boolean writingAtHangup = io.isAlive();
            assertThat(Tools.run(10, "kill", "-HUP", Long.toString(daemon.pid())).ok()).isTrue();
            daemon.waitFor("reload of");
            assertThat(daemon.lines()).anyMatch(l -> l.contains("1 target(s) added [" + NEW_TARGET + "]")
                    && l.contains("1 unchanged"));
            Tools.Result ls = Tools.run(30, "iscsi-ls", "-s", portal);
            assertThat(ls.output()).contains(NEW_TARGET, TargetFixture.TARGET);

            assertThat(io.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String log = Files.readString(dir.resolve("qemu-io.log"));
            assertThat(io.exitValue()).as(log).isZero();
            assertThat(log).doesNotContain("verification failed", "error");
            assertThat(log.split("read 4194304/4194304 bytes", -1)).hasSize(61);
            assertThat(writingAtHangup).as("qemu-io was still writing when SIGHUP came").isTrue();
            // The session that ran across the reload was never dropped: qemu logged in once, no connection lost.
            assertThat(daemon.lines().stream().filter(l -> l.contains("login: iqn.2008-11.org.linux-kvm"))).hasSize(1);
            assertThat(daemon.lines()).noneMatch(l -> l.contains("connection lost: iqn.2008-11.org.linux-kvm"));
            assertThat(daemon.process().isAlive()).isTrue();
        } finally {
            if (io != null) {
                io.destroyForcibly();
            }
            daemon.close();
        }
    }
}
