package org.tandem.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An interactive qemu-io on an iSCSI LUN (qemu's libiscsi driver, which reconnects by itself): commands are fed
 * one at a time and each completion is timestamped as it is printed, so a test knows exactly which writes the
 * initiator saw acknowledged, and when.
 */
final class QemuIoSession implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What one command printed, and when its answer came ({@link System#nanoTime()}). */
    record Answer(String line, long nanos) {
        boolean ok() {
            return line != null && (line.startsWith("wrote ") || line.startsWith("read "));
        }
    }

    QemuIoSession(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        in = process.getOutputStream();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.contains("libiscsi:")) {
                        // LIBISCSI_DEBUG output (see ClusterHarness): kept, stamped, never taken for an answer
                        transcript.add(java.time.LocalTime.now() + " " + line);
                        continue;
                    }
                    lines.add(line.replace("qemu-io> ", ""));
                    transcript.add(line);
                }
            } catch (IOException ignored) {
                // ended
            }
        }, "qemu-io-out");
        reader.setDaemon(true);
        reader.start();
    }

    /** Sends one command and waits (bounded) for its result line: "wrote ..."/"read ..." or an error. */
    Answer run(String command, int seconds) throws IOException, InterruptedException {
        if (!process.isAlive()) {
            throw new IOException("qemu-io exited (" + process.exitValue() + "); its last lines: "
                    + transcript.subList(Math.max(0, transcript.size() - 15), transcript.size()));
        }
        in.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            long at = System.nanoTime();
            String l = line.strip();
            if (l.startsWith("wrote ") || l.startsWith("read ") || l.contains("failed") || l.contains("error")
                    || l.contains("Error")) {
                return new Answer(l, at);
            }
        }
        return new Answer(null, System.nanoTime());
    }

    /** What qemu-io printed besides the completions ("wrote"/"read" lines and their rate lines). */
    List<String> remarks() {
        return transcript.stream().map(l -> l.replace("qemu-io> ", "").strip())
                .filter(l -> !l.isEmpty() && !l.startsWith("wrote ") && !l.startsWith("read ") && !l.contains("ops/sec"))
                .toList();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            in.write("quit\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException ignored) {
            // gone already
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
