package org.tandem.target.session;

import java.util.HashSet;
import java.util.Set;

/**
 * A session's command numbering (RFC 7143 section 4.2.2.1), shared by all its connections: ExpCmdSN and MaxCmdSN.
 * With several connections commands may arrive out of CmdSN order; a command ahead of ExpCmdSN is accepted and
 * remembered, and ExpCmdSN moves only over numbers that have all arrived, so a late command is never mistaken
 * for a duplicate. (Tasks run as SIMPLE with unrestricted reordering, as the Control mode page says, so arrival
 * order is a valid execution order.) MaxCmdSN leaves room for the queue depth less the commands still running,
 * so a slow LUN narrows the window instead of letting work pile up; it never moves backwards. Serial number
 * arithmetic (RFC 1982) throughout. Thread-safe.
 */
public final class CommandWindow {
    private final int queueDepth;
    private final Set<Integer> arrivedAhead = new HashSet<>();
    private int expCmdSn;
    private int maxCmdSn;
    private int inFlight;

    public CommandWindow(int firstCmdSn, int queueDepth) {
        this.queueDepth = queueDepth;
        this.expCmdSn = firstCmdSn;
        this.maxCmdSn = firstCmdSn + queueDepth - 1;
    }

    /** RFC 1982 "less than" for 32-bit serial numbers. */
    public static boolean serialLess(int a, int b) {
        return a != b && (b - a) > 0;
    }

    /**
     * Decides whether a command with this CmdSN is to be executed: immediate ones always are, others when they
     * fall in [ExpCmdSN, MaxCmdSN] and did not arrive before. Anything else is a duplicate or beyond the window
     * and is ignored, as RFC 7143 section 3.2.2.1 says.
     */
    public synchronized boolean accept(boolean immediate, int cmdSn) {
        if (immediate) {
            return true;
        }
        if (serialLess(cmdSn, expCmdSn) || serialLess(maxCmdSn, cmdSn) || arrivedAhead.contains(cmdSn)) {
            return false;
        }
        if (cmdSn != expCmdSn) {
            arrivedAhead.add(cmdSn);
            return true;
        }
        expCmdSn++;
        while (arrivedAhead.remove(expCmdSn)) {
            expCmdSn++;
        }
        return true;
    }

    public synchronized void started() {
        inFlight++;
    }

    public synchronized void finished() {
        inFlight--;
    }

    /** Commands started and not yet finished. */
    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int expCmdSn() {
        return expCmdSn;
    }

    /** The MaxCmdSN to advertise now. */
    public synchronized int maxCmdSn() {
        int candidate = expCmdSn + Math.max(queueDepth - inFlight, 0) - 1;
        if (serialLess(maxCmdSn, candidate)) {
            maxCmdSn = candidate;
        }
        return maxCmdSn;
    }
}
