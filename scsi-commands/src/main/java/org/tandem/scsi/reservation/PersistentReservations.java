package org.tandem.scsi.reservation;

import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sense.SenseReason;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reservation state of one logical unit: persistent reservations (SPC-5 section 5.14) with their PRgeneration,
 * registrations by I_T nexus and the reservation, and the older SPC-2 RESERVE/RELEASE reservation, which a nexus
 * loss or a reset releases. Thread-safe: every method holds the object's lock. Persistence across power loss
 * (APTPL) is not offered yet: REPORT CAPABILITIES says so; in a cluster the state is copied to the peer server
 * ({@link #state()}, {@link #restore}) so it survives a failover.
 */
public final class PersistentReservations {
    public static final int WRITE_EXCLUSIVE = 1;
    public static final int EXCLUSIVE_ACCESS = 3;
    public static final int WRITE_EXCLUSIVE_REGISTRANTS_ONLY = 5;
    public static final int EXCLUSIVE_ACCESS_REGISTRANTS_ONLY = 6;
    public static final int WRITE_EXCLUSIVE_ALL_REGISTRANTS = 7;
    public static final int EXCLUSIVE_ACCESS_ALL_REGISTRANTS = 8;

    private int generation;
    private final Map<ItNexus, Long> registrations = new LinkedHashMap<>();
    private ItNexus holder;
    private int type;
    private ItNexus legacyHolder;

    /** A held reservation: the holder's key (0 for the all-registrants types) and its type. */
    public record Reservation(long key, int type) {
    }

    /** One registration as READ FULL STATUS reports it. */
    public record Registration(ItNexus nexus, long key, boolean holdsReservation) {
    }

    /** A consistent view for the IN service actions. */
    public record Snapshot(int generation, List<Registration> registrations, Reservation reservation) {
        public List<Long> keys() {
            return registrations.stream().map(Registration::key).toList();
        }
    }

    /** The outcome of a PERSISTENT RESERVE OUT service action. */
    public enum Result { GOOD, RESERVATION_CONFLICT, INVALID_FIELD_IN_PARAMETER_LIST, INVALID_RELEASE }

    public static boolean validType(int type) {
        return type == WRITE_EXCLUSIVE || type == EXCLUSIVE_ACCESS || (type >= 5 && type <= 8);
    }

    private static boolean allRegistrants(int type) {
        return type == WRITE_EXCLUSIVE_ALL_REGISTRANTS || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
    }

    private static boolean registrantsOnly(int type) {
        return type == WRITE_EXCLUSIVE_REGISTRANTS_ONLY || type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                || allRegistrants(type);
    }

    public synchronized Snapshot snapshot() {
        List<Registration> list = new ArrayList<>();
        registrations.forEach((n, k) -> list.add(new Registration(n, k, holds(n))));
        Reservation r = hasReservation()
                ? new Reservation(allRegistrants(type) ? 0 : registrations.getOrDefault(holder, 0L), type) : null;
        return new Snapshot(generation, list, r);
    }

    /** The whole persistent state, to copy to the peer server. */
    public synchronized ReservationState state() {
        List<ReservationState.Registration> list = new ArrayList<>(registrations.size());
        registrations.forEach((n, k) -> list.add(new ReservationState.Registration(n, k)));
        return new ReservationState(generation, list, holder, type);
    }

    /** Replaces the persistent state with one copied from the peer (which served this LUN until now). */
    public synchronized void restore(ReservationState state) {
        registrations.clear();
        state.registrations().forEach(r -> registrations.put(r.nexus(), r.key()));
        generation = state.generation();
        holder = state.holder();
        type = state.type();
        legacyHolder = null;
    }

    private boolean hasReservation() {
        return holder != null || (type != 0 && allRegistrants(type));
    }

    /** True when this nexus is a reservation holder (SPC-5 section 5.14.10). */
    private boolean holds(ItNexus n) {
        if (!hasReservation()) {
            return false;
        }
        if (allRegistrants(type)) {
            return registrations.containsKey(n);
        }
        return n.equals(holder);
    }

    /** Whether a command of this rule from this nexus meets a reservation conflict. */
    public synchronized boolean conflicts(ItNexus n, ReservationRule rule) {
        if (rule == ReservationRule.ALLOWED) {
            return false;
        }
        if (legacyHolder != null && !legacyHolder.equals(n)) {
            return true;
        }
        if (!hasReservation() || holds(n)) {
            return false;
        }
        if (registrantsOnly(type) && registrations.containsKey(n)) {
            return false;
        }
        boolean exclusiveAccess = type == EXCLUSIVE_ACCESS || type == EXCLUSIVE_ACCESS_REGISTRANTS_ONLY
                || type == EXCLUSIVE_ACCESS_ALL_REGISTRANTS;
        return rule == ReservationRule.WRITE || exclusiveAccess;
    }

    /** REGISTER and REGISTER AND IGNORE EXISTING KEY. */
    public synchronized Result register(ItNexus n, long key, long newKey, boolean ignoreExisting) {
        Long current = registrations.get(n);
        if (!ignoreExisting && (current == null ? key != 0 : current != key)) {
            return Result.RESERVATION_CONFLICT;
        }
        if (newKey == 0) {
            if (current != null) {
                unregister(n);
                generation++;
            }
            return Result.GOOD;
        }
        registrations.put(n, newKey);
        generation++;
        return Result.GOOD;
    }

    /**
     * Removes a registration. A holder that unregisters releases its reservation, except under the
     * all-registrants types, which last while any registrant is left (SPC-5 section 5.14.11.2.3).
     */
    private void unregister(ItNexus n) {
        registrations.remove(n);
        if (n.equals(holder)) {
            holder = null;
            if (!allRegistrants(type)) {
                type = 0;
            }
        }
        if (registrations.isEmpty()) {
            holder = null;
            type = 0;
        }
    }

    public synchronized Result reserve(ItNexus n, long key, int newType) {
        Long current = registrations.get(n);
        if (current == null || current != key) {
            return Result.RESERVATION_CONFLICT;
        }
        if (hasReservation()) {
            return holds(n) && type == newType ? Result.GOOD : Result.RESERVATION_CONFLICT;
        }
        holder = n;
        type = newType;
        return Result.GOOD;
    }

    public synchronized Result release(ItNexus n, long key, int releaseType, UnitAttentions attentions) {
        Long current = registrations.get(n);
        if (current == null || current != key) {
            return Result.RESERVATION_CONFLICT;
        }
        if (!hasReservation() || !holds(n)) {
            return Result.GOOD;
        }
        if (releaseType != type) {
            return Result.INVALID_RELEASE;
        }
        int released = type;
        holder = null;
        type = 0;
        if (released != WRITE_EXCLUSIVE && released != EXCLUSIVE_ACCESS) {
            notifyRegistrants(n, SenseReason.RESERVATIONS_RELEASED, attentions);
        }
        return Result.GOOD;
    }

    public synchronized Result clear(ItNexus n, long key, UnitAttentions attentions) {
        Long current = registrations.get(n);
        if (current == null || current != key) {
            return Result.RESERVATION_CONFLICT;
        }
        notifyRegistrants(n, SenseReason.RESERVATIONS_PREEMPTED, attentions);
        registrations.clear();
        holder = null;
        type = 0;
        generation++;
        return Result.GOOD;
    }

    /** PREEMPT and PREEMPT AND ABORT (SPC-5 section 5.14.11.4); the caller aborts tasks for the latter. */
    public synchronized Result preempt(ItNexus n, long key, long victimKey, int newType, UnitAttentions attentions) {
        Long current = registrations.get(n);
        if (current == null || current != key) {
            return Result.RESERVATION_CONFLICT;
        }
        if (hasReservation() && allRegistrants(type)) {
            if (victimKey == 0) {
                removeOthers(n, null, attentions);
                holder = n;
                type = newType;
            } else {
                removeOthers(n, victimKey, attentions);
            }
            generation++;
            return Result.GOOD;
        }
        if (hasReservation() && victimKey == registrations.getOrDefault(holder, -1L) && holder != null) {
            removeOthers(n, victimKey, attentions);
            holder = n;
            type = newType;
            generation++;
            return Result.GOOD;
        }
        if (victimKey == 0) {
            return Result.INVALID_FIELD_IN_PARAMETER_LIST;
        }
        if (!registrations.containsValue(victimKey)) {
            return Result.RESERVATION_CONFLICT;
        }
        removeOthers(n, victimKey, attentions);
        generation++;
        return Result.GOOD;
    }

    /** Removes the registrations with {@code victimKey} (all but the preempter's when null). */
    private void removeOthers(ItNexus n, Long victimKey, UnitAttentions attentions) {
        for (ItNexus other : new ArrayList<>(registrations.keySet())) {
            boolean victim = victimKey == null ? !other.equals(n) : registrations.get(other) == (long) victimKey;
            if (victim && !(victimKey != null && other.equals(n))) {
                registrations.remove(other);
                attentions.establish(other, SenseReason.REGISTRATIONS_PREEMPTED);
            }
        }
    }

    private void notifyRegistrants(ItNexus except, SenseReason reason, UnitAttentions attentions) {
        for (ItNexus other : registrations.keySet()) {
            if (!other.equals(except)) {
                attentions.establish(other, reason);
            }
        }
    }

    /** SPC-2 RESERVE(6)/(10): fails if someone else holds either kind of reservation. */
    public synchronized boolean reserveLegacy(ItNexus n) {
        if ((legacyHolder != null && !legacyHolder.equals(n)) || (hasReservation() && !holds(n))) {
            return false;
        }
        legacyHolder = n;
        return true;
    }

    /** SPC-2 RELEASE(6)/(10): releases only the caller's own reservation; always GOOD. */
    public synchronized void releaseLegacy(ItNexus n) {
        if (n.equals(legacyHolder)) {
            legacyHolder = null;
        }
    }

    /** A logical unit reset or I_T nexus loss releases an SPC-2 reservation; persistent ones stay. */
    public synchronized void releaseLegacyOnReset(ItNexus lost) {
        if (lost == null || lost.equals(legacyHolder)) {
            legacyHolder = null;
        }
    }
}
