package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The daemon as operators run it: its own process, stopped with SIGTERM; a bad config refuses to start. */
class LauncherE2ETest {
    @TempDir
    Path dir;

    private static Path jar() {
        Path jar = Tools.repositoryRoot().resolve("target-server/target/tandem.jar");
        assumeTrue(Files.exists(jar), "target-server/target/tandem.jar not built: run mvn verify from the top");
        return jar;
    }

    @Test
    void sigtermClosesSessionsFlushesAndExits() throws Exception {
        Path jar = jar();
        Files.write(dir.resolve("lun0.img"), new byte[0]);
        try (var raf = new java.io.RandomAccessFile(dir.resolve("lun0.img").toFile(), "rw")) {
            raf.setLength(32L << 20);
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TargetFixture.TARGET + "\n  Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "--config", conf.toString(), "--portal",
                "127.0.0.1:" + port, "--no-admin").redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines.stream().noneMatch(l -> l.contains("Tandem serving")) && System.nanoTime() < deadline
                    && p.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(lines).as("daemon output").anyMatch(l -> l.contains("Tandem serving 1 target(s)"));
            if (Tools.has("iscsi-inq")) {
                Tools.Result r = Tools.run(20, "iscsi-inq", "iscsi://127.0.0.1:" + port + "/" + TargetFixture.TARGET
                        + "/0");
                assertThat(r.ok()).as(r.output()).isTrue();
            }
            try (TestInitiator session = new TestInitiator(port)) {
                assertThat(session.login(TargetFixture.TARGET).statusClass()).isZero();
                Tools.run(10, "kill", "-TERM", Long.toString(p.pid())); // SIGTERM, as systemd and tandemd users send it
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(session.closedByTarget()).isTrue();
            }
            reader.join(5000);
            assertThat(lines).anyMatch(l -> l.contains("shutting down: closing sessions, flushing LUNs"));
            assertThat(lines).anyMatch(l -> l.endsWith("stopped"));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadConfigLineStopsStartupWithFileAndLine() throws Exception {
        Path jar = jar();
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TargetFixture.TARGET + "\n  Lun 0 Path=x.img,Type=floppy\n");
        Tools.Result r = Tools.run(30, "java", "-jar", jar.toString(), "--config", conf.toString(), "--portal",
                "127.0.0.1:0", "--no-admin");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains(conf + ":2: expected Type=fileio, blockio or nullio, got 'floppy'");
    }
}
