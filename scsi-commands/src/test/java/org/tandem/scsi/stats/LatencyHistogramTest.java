package org.tandem.scsi.stats;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistogramTest {
    @Test
    void countsCumulativelyByUpperBound() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(TimeUnit.MICROSECONDS.toNanos(40));     // <= 50 us
        h.record(TimeUnit.MICROSECONDS.toNanos(50));     // <= 50 us: bounds are inclusive, as Prometheus' le
        h.record(TimeUnit.MICROSECONDS.toNanos(700));    // <= 1 ms
        h.record(TimeUnit.SECONDS.toNanos(60));          // +Inf
        LatencyHistogram.Snapshot s = h.snapshot();
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.cumulative()[0]).isEqualTo(2);
        assertThat(s.upperBoundLabel(0)).isEqualTo("0.00005");
        assertThat(s.upperBoundLabel(4)).isEqualTo("0.001");
        assertThat(s.cumulative()[4]).isEqualTo(3);
        assertThat(s.upperBoundLabel(13)).isEqualTo("1");
        assertThat(s.upperBoundLabel(s.buckets() - 1)).isEqualTo("+Inf");
        assertThat(s.cumulative()[s.buckets() - 2]).isEqualTo(3);
        assertThat(s.sumNanos()).isEqualTo(TimeUnit.MICROSECONDS.toNanos(790) + TimeUnit.SECONDS.toNanos(60));
        assertThat(s.quantileUpperBound(0.5)).isEqualTo(0.00005);
        assertThat(s.quantileUpperBound(0.75)).isEqualTo(0.001);
        assertThat(s.quantileUpperBound(1.0)).isInfinite();
    }

    @Test
    void statisticsCountBytesOnlyForTheirKind() {
        IoStatistics stats = new IoStatistics();
        stats.record(IoStatistics.Kind.READ, 4096, false, 1000);
        stats.record(IoStatistics.Kind.WRITE, 8192, false, 1000);
        stats.record(IoStatistics.Kind.OTHER, 0, true, 1000);
        IoStatistics.Snapshot s = stats.snapshot();
        assertThat(s.commands()).isEqualTo(3);
        assertThat(s.bytesRead()).isEqualTo(4096);
        assertThat(s.bytesWritten()).isEqualTo(8192);
        assertThat(s.errors()).isEqualTo(1);
        assertThat(s.latency().count()).isEqualTo(3);
    }
}
