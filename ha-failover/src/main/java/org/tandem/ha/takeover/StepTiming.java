package org.tandem.ha.takeover;

/** One step of a start, release or takeover with what it took: for the log and the cluster status. */
public record StepTiming(String step, long millis, boolean ok, String detail) {
}
