package org.tandem.scsi.stats;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one logical unit or one session: commands by kind, bytes each way, commands that ended in an
 * error status, and the latency histogram of every command. Thread-safe and lock-free.
 */
public final class IoStatistics {
    /** What a command did, for counting. */
    public enum Kind {
        READ, WRITE, OTHER
    }

    private final LongAdder reads = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private final LongAdder others = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LatencyHistogram latency = new LatencyHistogram();

    /**
     * Counts one finished command.
     *
     * @param bytes the bytes it moved: read from the medium for READ, written for WRITE
     * @param error whether it ended in a status other than GOOD
     */
    public void record(Kind kind, long bytes, boolean error, long latencyNanos) {
        switch (kind) {
            case READ -> {
                reads.increment();
                bytesRead.add(bytes);
            }
            case WRITE -> {
                writes.increment();
                bytesWritten.add(bytes);
            }
            case OTHER -> others.increment();
        }
        if (error) {
            errors.increment();
        }
        latency.record(latencyNanos);
    }

    public Snapshot snapshot() {
        return new Snapshot(reads.sum(), writes.sum(), others.sum(), bytesRead.sum(), bytesWritten.sum(),
                errors.sum(), latency.snapshot());
    }

    /** The counters at one moment. */
    public record Snapshot(long readCommands, long writeCommands, long otherCommands, long bytesRead,
                           long bytesWritten, long errors, LatencyHistogram.Snapshot latency) {
        public long commands() {
            return readCommands + writeCommands + otherCommands;
        }
    }
}
