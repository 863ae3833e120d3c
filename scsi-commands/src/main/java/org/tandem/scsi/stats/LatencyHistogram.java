package org.tandem.scsi.stats;

import java.math.BigDecimal;
import java.util.concurrent.atomic.LongAdder;

/**
 * Command latencies in fixed buckets from 50 µs to 10 s (a 1-2.5-5 series, as Prometheus' default buckets are),
 * plus their count and sum. Recording is lock-free; a {@link Snapshot} holds cumulative counts per upper bound,
 * ready for Prometheus' {@code le} labels.
 */
public final class LatencyHistogram {
    /** Upper bounds of the buckets in microseconds; a last, unbounded bucket (+Inf) follows. */
    private static final long[] BOUNDS_MICROS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000,
            100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000};

    private final LongAdder[] buckets = new LongAdder[BOUNDS_MICROS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void record(long nanos) {
        long micros = Math.max(0, nanos) / 1000;
        int i = 0;
        while (i < BOUNDS_MICROS.length && micros > BOUNDS_MICROS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(Math.max(0, nanos));
    }

    public Snapshot snapshot() {
        long[] cumulative = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            cumulative[i] = running;
        }
        return new Snapshot(cumulative, sumNanos.sum());
    }

    /**
     * Counts at one moment. {@code cumulative[i]} counts latencies up to {@link #upperBoundSeconds(int)} of i; the
     * last entry is the total count (+Inf).
     */
    public record Snapshot(long[] cumulative, long sumNanos) {
        public long count() {
            return cumulative[cumulative.length - 1];
        }

        public int buckets() {
            return cumulative.length;
        }

        /** The bucket's upper bound in seconds, or infinity for the last. */
        public double upperBoundSeconds(int bucket) {
            return bucket < BOUNDS_MICROS.length ? BOUNDS_MICROS[bucket] / 1e6 : Double.POSITIVE_INFINITY;
        }

        /** The bucket's upper bound as Prometheus' {@code le} label writes it: "0.00005", "1", "+Inf". */
        public String upperBoundLabel(int bucket) {
            return bucket < BOUNDS_MICROS.length
                    ? BigDecimal.valueOf(BOUNDS_MICROS[bucket], 6).stripTrailingZeros().toPlainString() : "+Inf";
        }

        /** The latency below which {@code quantile} of the commands fell, as a bucket bound in seconds (0 if none). */
        public double quantileUpperBound(double quantile) {
            long n = count();
            if (n == 0) {
                return 0;
            }
            long rank = (long) Math.ceil(quantile * n);
            for (int i = 0; i < cumulative.length; i++) {
                if (cumulative[i] >= rank) {
                    return upperBoundSeconds(i);
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }
}
