package org.tandem.scsi.reservation;

import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sense.SenseReason;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Pending unit attention conditions, one queue per I_T nexus (SAM-5 section 5.14). A nexus seen for the first
 * time starts with POWER ON, RESET, OR BUS DEVICE RESET OCCURRED, as for a device that was just powered on
 * from its point of view. Thread-safe.
 */
public final class UnitAttentions {
    private final Map<ItNexus, Deque<SenseReason>> pending = new HashMap<>();

    /** Registers a nexus at its first command; returns its queue. */
    private Deque<SenseReason> queue(ItNexus nexus) {
        return pending.computeIfAbsent(nexus, n -> {
            Deque<SenseReason> q = new ArrayDeque<>();
            q.add(SenseReason.POWER_ON_RESET_OR_BUS_DEVICE_RESET_OCCURRED);
            return q;
        });
    }

    /** Removes and returns the oldest condition for this nexus, or null when none is pending. */
    public synchronized SenseReason poll(ItNexus nexus) {
        return queue(nexus).poll();
    }

    /** Establishes a condition for every known nexus except {@code except} (null for all). */
    public synchronized void establishForAll(SenseReason reason, ItNexus except) {
        for (Map.Entry<ItNexus, Deque<SenseReason>> e : pending.entrySet()) {
            if (!e.getKey().equals(except) && !e.getValue().contains(reason)) {
                e.getValue().add(reason);
            }
        }
    }

    /** Establishes a condition for one nexus. */
    public synchronized void establish(ItNexus nexus, SenseReason reason) {
        Deque<SenseReason> q = queue(nexus);
        if (!q.contains(reason)) {
            q.add(reason);
        }
    }
}
