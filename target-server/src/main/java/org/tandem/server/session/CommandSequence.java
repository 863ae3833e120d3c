package org.tandem.server.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Which CmdSNs of a session have arrived, and the PDUs that arrived ahead of a gap (RFC 7143 sections 3.2.2.1 and
 * 4.2.2.1). A non-immediate PDU whose CmdSN equals ExpCmdSN is in order; one above ExpCmdSN and at most MaxCmdSN
 * waits here until every lower CmdSN has arrived; one below ExpCmdSN, beyond MaxCmdSN, or whose CmdSN has already
 * arrived is to be ignored silently. A CmdSN may also arrive with nothing to deliver (a null PDU): one that an
 * ABORT TASK asks the target to consider received (section 11.6.1), or one held for a connection that closed.
 * ExpCmdSN moves only over numbers that have all arrived. What is held is bounded by the window: at most
 * MaxCmdSN - ExpCmdSN entries. Serial number arithmetic (RFC 1982, SERIAL_BITS 32), so numbers wrap from
 * 2^32 - 1 to 0. Not thread-safe: {@link CommandWindow} guards it.
 *
 * @param <T> what is held for a CmdSN until it is in order
 */
final class CommandSequence<T> {
    /** What became of an arriving CmdSN. */
    enum Arrival {
        /** It was ExpCmdSN: it and what was held behind it are in order now. */
        IN_ORDER,
        /** Above ExpCmdSN within the window: held until the numbers below it have arrived. */
        HELD,
        /** Outside [ExpCmdSN, MaxCmdSN], or a duplicate: RFC 7143 section 3.2.2.1 says to ignore it silently. */
        IGNORED
    }

    /** CmdSNs above ExpCmdSN that have arrived; a null value has nothing to deliver. */
    private final Map<Integer, T> ahead = new HashMap<>();
    private int expCmdSn;

    /** @param expCmdSn the first CmdSN expected: the CmdSN of the leading Login Request */
    CommandSequence(int expCmdSn) {
        this.expCmdSn = expCmdSn;
    }

    /** RFC 1982 "less than" for 32-bit serial numbers; false when the two are 2^31 apart (undefined). */
    static boolean serialLess(int a, int b) {
        return a != b && (b - a) > 0;
    }

    /** The next CmdSN expected: every lower one has arrived. */
    int expCmdSn() {
        return expCmdSn;
    }

    /** CmdSNs above ExpCmdSN that have arrived, with or without a PDU. */
    int aheadCount() {
        return ahead.size();
    }

    /** True when {@code cmdSn} lies in [ExpCmdSN, maxCmdSn], serially. */
    boolean inWindow(int cmdSn, int maxCmdSn) {
        return !serialLess(cmdSn, expCmdSn) && !serialLess(maxCmdSn, cmdSn);
    }

    /** True when a non-immediate PDU with this CmdSN would be taken: in the window and not arrived yet. */
    boolean admissible(int cmdSn, int maxCmdSn) {
        return inWindow(cmdSn, maxCmdSn) && !ahead.containsKey(cmdSn);
    }

    /**
     * Records that {@code cmdSn} arrived carrying {@code pdu}. When it is in order, appends {@code pdu} (unless
     * null) and then every held PDU now in order to {@code inOrder}, lowest CmdSN first, and moves ExpCmdSN past
     * them.
     *
     * @param pdu      what to deliver for it, or null for nothing
     * @param maxCmdSn the MaxCmdSN last advertised: the top of the window
     */
    Arrival arrive(int cmdSn, T pdu, int maxCmdSn, List<T> inOrder) {
        if (!admissible(cmdSn, maxCmdSn)) {
            return Arrival.IGNORED;
        }
        if (cmdSn != expCmdSn) {
            ahead.put(cmdSn, pdu);
            return Arrival.HELD;
        }
        if (pdu != null) {
            inOrder.add(pdu);
        }
        expCmdSn++;
        while (ahead.containsKey(expCmdSn)) {
            T next = ahead.remove(expCmdSn);
            if (next != null) {
                inOrder.add(next);
            }
            expCmdSn++;
        }
        return Arrival.IN_ORDER;
    }

    /**
     * Takes the held PDUs that {@code which} selects out, leaving their CmdSNs arrived with nothing to deliver (the
     * initiator did send them, so the window must still move past them).
     */
    List<T> removeHeld(Predicate<? super T> which) {
        List<T> removed = new ArrayList<>();
        for (Iterator<Map.Entry<Integer, T>> i = ahead.entrySet().iterator(); i.hasNext(); ) {
            Map.Entry<Integer, T> e = i.next();
            if (e.getValue() != null && which.test(e.getValue())) {
                removed.add(e.getValue());
                e.setValue(null);
            }
        }
        return removed;
    }
}
