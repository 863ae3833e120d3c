package org.tandem.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The daemon as operators run it: the built jar in its own process, its log lines collected as they come. */
final class DaemonProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private DaemonProcess(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
    }

    static Path jar() {
        Path jar = Tools.repositoryRoot().resolve("target-server/target/tandem.jar");
        assumeTrue(Files.exists(jar), "target-server/target/tandem.jar not built: run mvn verify from the top");
        return jar;
    }

    /** Starts {@code java -jar tandem.jar ARGS...}. */
    static DaemonProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return new DaemonProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /**
     * Starts {@code java -jar tandem.jar ARGS...} inside a test bed's network namespace ({@code ip netns exec}
     * execs Java, so {@link #pid()} and {@link #close()} reach the JVM itself).
     */
    static DaemonProcess startIn(TestbedNetwork network, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("java", "-jar", jar().toString()));
        command.addAll(List.of(args));
        return new DaemonProcess(new ProcessBuilder(network.inside(command)).redirectErrorStream(true).start());
    }

    /** Kills the process at once (SIGKILL), as a crash would, and waits (at most 20 s) for it to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
        reader.join(5000);
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    List<String> lines() {
        return lines;
    }

    /** Waits (at most 30 s) until a log line contains {@code text}; fails the test if none does. */
    void waitFor(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines.stream().noneMatch(l -> l.contains(text)) && System.nanoTime() < deadline
                && process.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(lines).as("daemon output").anyMatch(l -> l.contains(text));
    }

    /** Waits for the output to end after the process exits. */
    void drain() throws InterruptedException {
        reader.join(5000);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(5000);
    }
}
