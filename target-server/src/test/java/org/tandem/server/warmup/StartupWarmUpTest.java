package org.tandem.server.warmup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StartupWarmUpTest {
    private final ExecutorService io = Executors.newFixedThreadPool(2);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        io.shutdownNow();
    }

    @Test
    void everySessionLogsInReadsBackWhatItWroteAndLogsOut() throws Exception {
        // Each session checks every answer itself (status GOOD, capacity, data read = data written) and throws
        // otherwise; three sessions also check that the private target serves one session after another.
        List<Long> millis = StartupWarmUp.runSessions(io, 3, dir, new AtomicBoolean());

        assertThat(millis).hasSize(3).allSatisfy(ms -> assertThat(ms).isNotNegative());
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("the LUN's temporary file is deleted").isEmpty();
        }
    }

    @Test
    void aFailingSessionIsReportedAndLeavesNothingBehind() {
        // Storage work refused: the first command that needs the executor fails, the login before it succeeded.
        assertThatThrownBy(() -> StartupWarmUp.runSessions(command -> {
            throw new RejectedExecutionException("closed");
        }, 1, dir, new AtomicBoolean())).isInstanceOf(IOException.class).hasMessageContaining("not GOOD");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void onceStoppingNoFurtherSessionStarts() throws Exception {
        assertThat(StartupWarmUp.runSessions(io, 3, dir, new AtomicBoolean(true))).isEmpty();
    }

    @Test
    void aTemporaryDirectoryALunLineCannotNameIsReportedAsSuch() throws Exception {
        Path spaced = Files.createDirectory(dir.resolve("with space"));
        assertThatThrownBy(() -> StartupWarmUp.runSessions(io, 1, spaced, new AtomicBoolean()))
                .hasMessageContaining("has a space or comma").hasMessageContaining("java.io.tmpdir");
        try (Stream<Path> left = Files.list(spaced)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theBackgroundRunEndsOnItsOwn() throws Exception {
        StartupWarmUp warmUp = StartupWarmUp.start(io, 1);
        assertThat(warmUp.await(30_000)).isTrue();
        warmUp.close();
    }

    @Test
    void atLeastOneSession() {
        assertThatThrownBy(() -> StartupWarmUp.start(io, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
