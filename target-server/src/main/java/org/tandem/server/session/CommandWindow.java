package org.tandem.server.session;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A session's command numbering (RFC 7143 sections 3.2.2.1 and 4.2.2.1), shared by all its connections: ExpCmdSN,
 * MaxCmdSN, and the order in which non-immediate PDUs reach the SCSI layer. Those are delivered in CmdSN order
 * across the session's connections: one that arrives ahead of a gap is held (see {@link CommandSequence}) until the
 * gap fills, and one outside [ExpCmdSN, MaxCmdSN] or a duplicate is ignored silently. Immediate PDUs bypass the
 * ordering. MaxCmdSN leaves room for the queue depth less the commands still running and those in order but not yet
 * delivered, so a slow LUN narrows the window instead of letting work pile up; it never moves backwards. Serial
 * number arithmetic (RFC 1982) throughout. Thread-safe; delivery happens outside the lock.
 */
public final class CommandWindow {
    private final int queueDepth;
    private final CommandSequence<OrderedPdu> sequence;
    private final OrderedDelivery delivery = new OrderedDelivery();
    private int maxCmdSn;
    private int inFlight;

    /**
     * @param firstCmdSn the CmdSN of the leading Login Request: the first ExpCmdSN
     * @param queueDepth commands the session may have outstanding, 1 to 256 (QueuedCommands)
     */
    public CommandWindow(int firstCmdSn, int queueDepth) {
        this.queueDepth = queueDepth;
        this.sequence = new CommandSequence<>(firstCmdSn);
        this.maxCmdSn = firstCmdSn + queueDepth - 1;
    }

    /** RFC 1982 "less than" for 32-bit serial numbers. */
    public static boolean serialLess(int a, int b) {
        return CommandSequence.serialLess(a, b);
    }

    /**
     * Takes a non-immediate PDU into the CmdSN order. When every lower CmdSN has arrived it is delivered, with the
     * PDUs held behind it, each on its connection's event loop (on this thread when that is the loop); when its
     * CmdSN lies above ExpCmdSN within MaxCmdSN it is held until then. Once taken, the window owns {@code pdu}.
     *
     * @return false when the CmdSN is outside [ExpCmdSN, MaxCmdSN] or has arrived before: RFC 7143 section 3.2.2.1
     * says to ignore such a PDU silently, and the caller still owns it
     */
    public boolean admit(int cmdSn, OrderedPdu pdu) {
        List<OrderedPdu> inOrder = new ArrayList<>(1);
        synchronized (this) {
            if (sequence.arrive(cmdSn, pdu, maxCmdSn, inOrder) == CommandSequence.Arrival.IGNORED) {
                return false;
            }
            delivery.enqueue(inOrder);
        }
        delivery.drain();
        return true;
    }

    /**
     * ABORT TASK for a task the target does not have (RFC 7143 section 11.6.1, case b): when {@code refCmdSn}
     * lies within [ExpCmdSN, MaxCmdSN] and below the request's own CmdSN, the target considers that CmdSN received,
     * so the window moves past it (PDUs held behind it are delivered) and a command that arrives with it later is a
     * duplicate and is not executed. Nothing changes for a request that is itself to be ignored.
     *
     * @param refCmdSn     the request's RefCmdSN
     * @param cmdSn        the request's CmdSN
     * @param immediate    the request's I bit
     * @return true when case b applies: the answer is then Function Complete
     */
    public boolean considerReceived(int refCmdSn, int cmdSn, boolean immediate) {
        List<OrderedPdu> inOrder = new ArrayList<>();
        synchronized (this) {
            // A RefCmdSN that has arrived (held for its turn, maybe on another connection) is not case b: the
            // command exists, and answering Function Complete while it goes on to run would be a lie.
            if ((!immediate && !sequence.admissible(cmdSn, maxCmdSn)) || !sequence.admissible(refCmdSn, maxCmdSn)
                    || !serialLess(refCmdSn, cmdSn)) {
                return false;
            }
            sequence.arrive(refCmdSn, null, maxCmdSn, inOrder);
            delivery.enqueue(inOrder);
        }
        delivery.drain();
        return true;
    }

    /**
     * Discards the held PDUs that {@code which} selects (a closing connection's); their CmdSNs stay received, so
     * ExpCmdSN still moves past them once the gap below fills.
     */
    public void discardHeld(Predicate<OrderedPdu> which) {
        List<OrderedPdu> removed;
        synchronized (this) {
            removed = sequence.removeHeld(which);
        }
        removed.forEach(OrderedPdu::discard);
    }

    /** A command reached the SCSI layer: it holds a slot of the queue depth until {@link #finished()}. */
    public synchronized void started() {
        inFlight++;
    }

    /** A command ended (answered, aborted or abandoned): its slot is free again. */
    public synchronized void finished() {
        inFlight--;
    }

    /** Commands started and not yet finished. */
    public synchronized int inFlight() {
        return inFlight;
    }

    /**
     * CmdSNs received above a gap, with a PDU waiting for it to fill or (aborted, or of a closed connection)
     * without: 0 to MaxCmdSN - ExpCmdSN.
     */
    public synchronized int held() {
        return sequence.aheadCount();
    }

    /** ExpCmdSN (RFC 7143 section 4.2.2.1): the next CmdSN expected; every lower one has been received. */
    public synchronized int expCmdSn() {
        return sequence.expCmdSn();
    }

    /**
     * The MaxCmdSN to advertise now (RFC 7143 section 4.2.2.1): ExpCmdSN plus the queue depth less the commands
     * running and those in order but not yet delivered, minus one; never below what was advertised before.
     */
    public synchronized int maxCmdSn() {
        int free = queueDepth - inFlight - delivery.pending();
        int candidate = sequence.expCmdSn() + Math.max(free, 0) - 1;
        if (serialLess(maxCmdSn, candidate)) {
            maxCmdSn = candidate;
        }
        return maxCmdSn;
    }
}
