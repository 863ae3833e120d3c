package org.tandem.ha.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The values after an ha.cf directive, as Heartbeat's config.c reads them; errors name file and line. */
class HaCfValuesTest {
    private static final Path FILE = Path.of("/etc/ha.d/ha.cf");
    private final HaCfValues values = new HaCfValues(FILE);

    @Test
    void timesAreSecondsUnlessMarkedMsOrUs() throws Exception {
        assertThat(values.time(1, List.of("2"), "keepalive")).isEqualTo(Duration.ofSeconds(2));
        assertThat(values.time(1, List.of("1.5"), "keepalive")).isEqualTo(Duration.ofMillis(1500));
        assertThat(values.time(1, List.of("500MS"), "keepalive")).isEqualTo(Duration.ofMillis(500));
        assertThat(values.time(1, List.of("2500us"), "keepalive")).isEqualTo(Duration.ofMillis(3));
        assertThat(values.time(1, List.of("0"), "warntime")).isEqualTo(Duration.ZERO);
    }

    @Test
    void timesRunFromOneMillisecondToADay() {
        assertThatThrownBy(() -> values.time(3, List.of("999us"), "keepalive"))
                .isInstanceOf(HaConfigException.class).hasMessageContaining("ha.cf:3")
                .hasMessageContaining("keepalive 999us is below 1 ms: Tandem's clocks count milliseconds; write at"
                        + " least 1ms");
        assertThatThrownBy(() -> values.time(4, List.of("86401"), "deadtime"))
                .hasMessageContaining("deadtime 86401 is more than a day: write at most 86400 (seconds)");
        assertThatThrownBy(() -> values.time(5, List.of("2m"), "deadtime"))
                .hasMessageContaining("expected a time for deadtime (2, 1.5, 500ms), got '2m'");
    }

    @Test
    void aSingleValueGivenTwiceSaysHeartbeatKeptOnlyTheLast() {
        assertThatThrownBy(() -> values.need(6, "udpport", List.of("694", "695"), 1, 1, "udpport PORT"))
                .hasMessageContaining("udpport takes one value, got 2 [694, 695] (Heartbeat would keep only the"
                        + " last): write 'udpport PORT'");
        assertThatThrownBy(() -> values.need(7, "mcast", List.of("eth0"), 5, 5, "mcast IFACE GROUP PORT TTL LOOP"))
                .hasMessageContaining("expected 'mcast IFACE GROUP PORT TTL LOOP'");
    }

    @Test
    void numbersHaveARange() throws Exception {
        assertThat(values.number(1, "694", "udpport", 1, 65535)).isEqualTo(694);
        assertThatThrownBy(() -> values.number(8, "0x2b6", "udpport", 1, 65535))
                .hasMessageContaining("expected udpport from 1 to 65535, got '0x2b6'");
    }

    @Test
    void booleansAsClStrToBoolean() {
        assertThat(List.of("on", "YES", "y", "true", "1")).allMatch(v -> HaCfValues.bool(v) == Boolean.TRUE);
        assertThat(List.of("off", "No", "n", "false", "0")).allMatch(v -> HaCfValues.bool(v) == Boolean.FALSE);
        assertThat(HaCfValues.bool("legacy")).isNull();
    }

    @Test
    void nodeNamesMustBeHostNames() throws Exception {
        values.hostName(1, "storage-1.example.com");
        assertThatThrownBy(() -> values.hostName(9, "storage_1"))
                .hasMessageContaining("node 'storage_1' cannot be a host name");
        assertThatThrownBy(() -> values.hostName(9, "a."))
                .hasMessageContaining("node 'a.' cannot be a host name");
    }

    @Test
    void interfaceNamesAreCheckedAsTheKernelWould() throws Exception {
        assertThat(values.iface(1, "bcast", "eth1")).isEqualTo("eth1");
        assertThatThrownBy(() -> values.iface(10, "bcast", "eth1/2"))
                .hasMessageContaining("ha.cf:10").hasMessageContaining("bcast: ")
                .hasMessageContaining("; write the interface's name as 'ip link' shows it (e.g. eth1)");
    }
}
