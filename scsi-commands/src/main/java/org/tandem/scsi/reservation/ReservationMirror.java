package org.tandem.scsi.reservation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a logical unit's reservation changes are copied before the PERSISTENT RESERVE OUT that made them
 * completes: in a cluster, the peer server that would take the LUN over. The stage completes once the copy is
 * safe (the peer acknowledged it, or there is no live peer to tell), and fails if it cannot be made safe; the
 * command then ends in CHECK CONDITION rather than GOOD. Must not block.
 */
@FunctionalInterface
public interface ReservationMirror {
    /** A standalone server's: nothing to copy. */
    ReservationMirror NONE = state -> CompletableFuture.completedFuture(null);

    CompletionStage<Void> replicate(ReservationState state);
}
