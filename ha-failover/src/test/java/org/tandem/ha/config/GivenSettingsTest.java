package org.tandem.ha.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A single-valued setting given again counts from its last line, as in Heartbeat, with a warning naming both lines;
 * the whole-file timing checks name the line that set a timing, or where its default came from.
 */
class GivenSettingsTest {
    private static final Path FILE = Path.of("/etc/ha.d/ha.cf");
    private final GivenSettings settings = new GivenSettings(FILE);

    @Test
    void theLastLineCountsAndBothAreNamed() {
        try (CapturedLog log = new CapturedLog()) {
            settings.single(2, "deadtime", List.of("30"), 30);
            int value = settings.single(9, "deadtime", List.of("10"), 10);

            assertThat(value).isEqualTo(10);
            assertThat(log.warnings()).containsExactly(FILE + ":9: 'deadtime 10' repeats 'deadtime 30' of line 2: as"
                    + " in Heartbeat the last line counts, so line 9 is used; remove the other line");
        }
    }

    @Test
    void directivesOfOneSettingCountAsRepeats() {
        try (CapturedLog log = new CapturedLog()) {
            settings.single(3, "failback", "auto_failback", List.of("on"), true);
            settings.single(4, "failback", "nice_failback", List.of("on"), false);

            assertThat(log.warnings()).singleElement().asString()
                    .contains("'nice_failback on' repeats 'auto_failback on' of line 3");
        }
    }

    @Test
    void aTimingErrorIsReportedAtTheLineThatSetTheTiming() {
        settings.single(5, "keepalive", List.of("20"), Duration.ofSeconds(20));

        assertThatThrownBy(() -> settings.checkTimings(Duration.ofSeconds(20), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(60)))
                .isInstanceOf(HaConfigException.class).hasMessageContaining("ha.cf:5")
                .hasMessageContaining("keepalive (20000 ms, line 5) must be above zero and below warntime"
                        + " (15000 ms, by default half of deadtime): lower keepalive or raise warntime");
    }

    @Test
    void withDefaultsOnlyTheErrorNamesTheFile() {
        assertThatThrownBy(() -> settings.checkTimings(Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(3), Duration.ofSeconds(6)))
                .hasMessage(FILE + ": keepalive (2000 ms, the default) must be above zero and below warntime"
                        + " (1000 ms, by default half of deadtime): lower keepalive or raise warntime");
    }

    @Test
    void heartbeatsDefaultsPass() {
        assertThatCode(() -> settings.checkTimings(Duration.ofSeconds(2), Duration.ofSeconds(15),
                Duration.ofSeconds(30), Duration.ofSeconds(60))).doesNotThrowAnyException();
    }
}
