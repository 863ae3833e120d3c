package org.tandem.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The UML bed's power switch ({@code uml/power-switch.py}) on the loopback address, with a process group of
 * this machine standing in for a guest: "off" answers OFF only once no process of the group is left, and every
 * request it cannot serve gets ERR with the reason.
 */
class PowerSwitchTest {
    @TempDir
    Path dir;

    private Process powerSwitch;
    private Process guest;
    private int port;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "/usr/bin/python3 is missing");
        assumeTrue(Tools.has("setsid"), "setsid is missing: apt-get install util-linux");
        Path script = UmlGuest.install("power-switch.py", dir);
        Files.createDirectories(dir.resolve("pids"));
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("switch.log");
        powerSwitch = new ProcessBuilder("/usr/bin/python3", script.toString(), "127.0.0.1", String.valueOf(port),
                dir.resolve("pids").toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains("listening") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(log)).contains("listening on 127.0.0.1:" + port);
        // A "guest": a group leader (setsid) with two children, as UML's kernel process and its helpers.
        guest = new ProcessBuilder("setsid", "/bin/sh", "-c", "sleep 300 & sleep 300 & wait").start();
        Files.writeString(dir.resolve("pids").resolve("guest1.pid"), guest.pid() + "\n");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (guest != null) {
            Tools.run(5, "kill", "-9", "--", "-" + guest.pid());
            guest.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (powerSwitch != null) {
            powerSwitch.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private String ask(String line) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private boolean groupAlive() {
        return Tools.run(5, "pgrep", "-g", String.valueOf(guest.pid())).ok();
    }

    @Test
    void offKillsTheWholeGroupBeforeAnsweringOff() throws Exception {
        assertThat(ask("status guest1")).isEqualTo("ON");
        assertThat(groupAlive()).as("the stand-in guest runs").isTrue();

        assertThat(ask("off guest1")).isEqualTo("OFF");

        assertThat(groupAlive()).as("no process of the group is left when OFF arrives").isFalse();
        assertThat(ask("status guest1")).isEqualTo("OFF");
        assertThat(ask("off guest1")).as("a second off of a guest that is off").isEqualTo("OFF");
    }

    @Test
    void aHeldOutletRefusesOffUntilReleased() throws Exception {
        assertThat(ask("hold guest1")).isEqualTo("HELD");

        assertThat(ask("off guest1")).isEqualTo("ERR outlet of guest1 does not answer (held by the test)");
        assertThat(groupAlive()).as("a held outlet leaves the guest running").isTrue();
        assertThat(ask("status guest1")).isEqualTo("ON");

        assertThat(ask("release guest1")).isEqualTo("RELEASED");
        assertThat(ask("off guest1")).isEqualTo("OFF");
        assertThat(groupAlive()).isFalse();
    }

    @Test
    void requestsItCannotServeGetErrWithTheReason() throws Exception {
        assertThat(ask("off")).isEqualTo("ERR usage: off NAME | status NAME | hold NAME | release NAME");
        assertThat(ask("off ../etc/passwd")).isEqualTo("ERR usage: off NAME | status NAME | hold NAME | release NAME");
        assertThat(ask("reboot guest1")).isEqualTo("ERR unknown operation reboot");
        assertThat(ask("off guest2")).isEqualTo("ERR no guest guest2 (no guest2.pid)");
        assertThat(groupAlive()).as("no refused request touched the guest").isTrue();
        assertThat(powerSwitch.isAlive()).as("the switch keeps serving").isTrue();
    }
}
