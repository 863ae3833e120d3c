package org.tandem.target.warmup;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
        List<Long> millis = StartupWarmUp.runSessions(io, 3, dir);

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
        }, 1, dir)).isInstanceOf(java.io.IOException.class).hasMessageContaining("not GOOD");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
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
