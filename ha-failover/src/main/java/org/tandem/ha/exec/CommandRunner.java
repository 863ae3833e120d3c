package org.tandem.ha.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program with a time limit and collects what it printed. A program that overruns is killed (with its
 * children, which a fencing script may have started) and reported as timed out: cluster steps must never hang.
 * Blocks: call it from a cluster thread, never an event loop.
 */
public class CommandRunner {
    /** The outcome: exit status (or -1 timed out, -2 could not start) and stdout+stderr. */
    public record Result(List<String> command, int exit, String output, long millis) {
        public boolean ok() {
            return exit == 0;
        }

        public boolean timedOut() {
            return exit == -1;
        }

        /** For logs: the command, how it ended, and its last line of output. */
        public String describe() {
            String how = exit == -1 ? "timed out" : exit == -2 ? "could not start" : "exit " + exit;
            String lastLine = output.strip().lines().reduce((a, b) -> b).orElse("");
            return String.join(" ", command) + ": " + how + " after " + millis + " ms"
                    + (lastLine.isEmpty() ? "" : " (" + lastLine + ")");
        }
    }

    private final Map<String, String> environment;

    public CommandRunner() {
        this(Map.of());
    }

    /** A runner that adds these variables to each program's environment. */
    public CommandRunner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public Result run(List<String> command, Duration timeout) {
        long start = System.nanoTime();
        Process p;
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().putAll(environment);
            p = b.start();
        } catch (IOException e) {
            return new Result(command, -2, e.getMessage(), 0);
        }
        try {
            p.getOutputStream().close();
        } catch (IOException ignored) {
            // nothing to say to it
        }
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                out.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process went away
            }
        }, "command-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
            reader.join(1000);
            long millis = (System.nanoTime() - start) / 1_000_000;
            synchronized (out) {
                return new Result(command, done ? p.exitValue() : -1, out.toString(), millis);
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(command, -1, "interrupted", (System.nanoTime() - start) / 1_000_000);
        }
    }
}
