package org.tandem.ha.lvm;

/** LVM refused or its tools failed; the message says which command and what it printed. */
public final class LvmException extends Exception {
    public LvmException(String message) {
        super(message);
    }
}
