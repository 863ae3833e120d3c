package org.tandem.target.session;

/**
 * The session's command numbering (RFC 7143 section 4.2.2.1): ExpCmdSN, MaxCmdSN and StatSN. MaxCmdSN leaves room
 * for the queue depth less the commands still running, so a slow LUN narrows the window instead of letting work
 * pile up; it never moves backwards. Serial number arithmetic (RFC 1982) throughout. Used on one event loop.
 */
public final class CommandWindow {
    private final int queueDepth;
    private int expCmdSn;
    private int maxCmdSn;
    private int statSn;
    private int inFlight;

    public CommandWindow(int firstCmdSn, int firstStatSn, int queueDepth) {
        this.queueDepth = queueDepth;
        this.expCmdSn = firstCmdSn;
        this.maxCmdSn = firstCmdSn + queueDepth - 1;
        this.statSn = firstStatSn;
    }

    /** RFC 1982 "less than" for 32-bit serial numbers. */
    public static boolean serialLess(int a, int b) {
        return a != b && (b - a) > 0;
    }

    /**
     * Decides whether a command with this CmdSN is to be executed: immediate ones always are, others when they
     * fall in [ExpCmdSN, MaxCmdSN] (then ExpCmdSN moves past them). Anything else is a duplicate or beyond the
     * window and is ignored, as RFC 7143 section 3.2.2.1 says.
     */
    public boolean accept(boolean immediate, int cmdSn) {
        if (immediate) {
            return true;
        }
        if (serialLess(cmdSn, expCmdSn) || serialLess(maxCmdSn, cmdSn)) {
            return false;
        }
        expCmdSn = cmdSn + 1;
        return true;
    }

    public void started() {
        inFlight++;
    }

    public void finished() {
        inFlight--;
    }

    public int expCmdSn() {
        return expCmdSn;
    }

    /** The MaxCmdSN to advertise now. */
    public int maxCmdSn() {
        int candidate = expCmdSn + Math.max(queueDepth - inFlight, 0) - 1;
        if (serialLess(maxCmdSn, candidate)) {
            maxCmdSn = candidate;
        }
        return maxCmdSn;
    }

    /** The StatSN for a response that advances it (SCSI Response, Data-In with status, NOP-In answer...). */
    public int nextStatSn() {
        return statSn++;
    }

    /** The StatSN for PDUs that carry it without advancing it (R2T, unsolicited NOP-In). */
    public int currentStatSn() {
        return statSn;
    }
}
