package org.tandem.ha.drbd;

/** DRBD refused or its tools failed; the message says which command and what it printed. */
public final class DrbdException extends Exception {
    public DrbdException(String message) {
        super(message);
    }
}
