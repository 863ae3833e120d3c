package org.tandem.scsi.pr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persistent reservation state of one logical unit (SPC-5 section 5.14): the PRgeneration counter, the
 * registered reservation keys by I_T nexus, and the reservation if one is held. Thread-safe; this issue's
 * command set reads it (PERSISTENT RESERVE IN), PERSISTENT RESERVE OUT comes with the full command set.
 */
public final class PersistentReservations {
    private int generation;
    private final Map<String, Long> registrations = new LinkedHashMap<>();
    private Reservation reservation;

    /** A held reservation: its holder's key and its type (SPC-5 table 227). */
    public record Reservation(long key, int type) {
    }

    /** A consistent view for the IN service actions. */
    public record Snapshot(int generation, List<Long> keys, Reservation reservation) {
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(generation, new ArrayList<>(registrations.values()), reservation);
    }
}
