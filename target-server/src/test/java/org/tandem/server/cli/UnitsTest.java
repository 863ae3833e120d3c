package org.tandem.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Sizes in binary units with at most three significant digits, latencies in milliseconds. */
class UnitsTest {
    @Test
    void sizesBelowOneKibAreWholeBytes() {
        assertThat(Units.size(0)).isEqualTo("0 B");
        assertThat(Units.size(1023)).isEqualTo("1023 B");
    }

    @Test
    void sizesKeepOneDecimalBelowAHundred() {
        assertThat(Units.size(1024)).isEqualTo("1.0 KiB");
        assertThat(Units.size(99 * 1024 * 1024 + 512 * 1024)).isEqualTo("99.5 MiB");
        assertThat(Units.size(100L * 1024 * 1024)).isEqualTo("100 MiB");
    }

    @Test
    void sizesStopAtPib() {
        assertThat(Units.size(2048L * 1024 * 1024 * 1024 * 1024 * 1024)).isEqualTo("2048 PiB");
    }

    @Test
    void latenciesInMillisecondsOrADashForNone() {
        assertThat(Units.millis(0)).isEqualTo("-");
        assertThat(Units.millis(0.0005)).isEqualTo("0.50 ms");
        assertThat(Units.millis(0.001)).isEqualTo("1.0 ms");
        assertThat(Units.millis(1.5)).isEqualTo("1500.0 ms");
    }
}
