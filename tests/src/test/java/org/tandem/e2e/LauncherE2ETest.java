package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon as operators run it: its own process, stopped with SIGTERM; a bad config refuses to start. */
class LauncherE2ETest {
    @TempDir
    Path dir;

    @Test
    void sigtermClosesSessionsFlushesAndExits() throws Exception {
        try (var raf = new java.io.RandomAccessFile(dir.resolve("lun0.img").toFile(), "rw")) {
            raf.setLength(32L << 20);
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TargetFixture.TARGET + "\n  Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DaemonProcess p = DaemonProcess.start("--config", conf.toString(), "--portal", "127.0.0.1:" + port,
                "--no-admin")) {
            p.waitFor("Tandem serving 1 target(s)");
            if (Tools.has("iscsi-inq")) {
                Tools.Result r = Tools.run(20, "iscsi-inq", "iscsi://127.0.0.1:" + port + "/" + TargetFixture.TARGET
                        + "/0");
                assertThat(r.ok()).as(r.output()).isTrue();
            }
            try (TestInitiator session = new TestInitiator(port)) {
                assertThat(session.login(TargetFixture.TARGET).statusClass()).isZero();
                Tools.run(10, "kill", "-TERM", Long.toString(p.pid())); // SIGTERM, as systemd and tandemd users send it
                assertThat(p.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(session.closedByTarget()).isTrue();
            }
            p.drain();
            assertThat(p.lines()).anyMatch(l -> l.contains("shutting down: closing sessions, flushing LUNs"));
            assertThat(p.lines()).anyMatch(l -> l.endsWith("stopped"));
        }
    }

    @Test
    void aBadConfigLineStopsStartupWithFileAndLine() throws Exception {
        Path jar = DaemonProcess.jar();
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TargetFixture.TARGET + "\n  Lun 0 Path=x.img,Type=floppy\n");
        Tools.Result r = Tools.run(30, "java", "-jar", jar.toString(), "--config", conf.toString(), "--portal",
                "127.0.0.1:0", "--no-admin");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains(conf + ":2: expected Type=fileio, blockio or nullio, got 'floppy'");
    }
}
