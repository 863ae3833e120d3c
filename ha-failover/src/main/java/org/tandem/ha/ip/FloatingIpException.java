package org.tandem.ha.ip;

/** A floating address could not be added or removed; the message has the command and its output. */
public final class FloatingIpException extends Exception {
    public FloatingIpException(String message) {
        super(message);
    }
}
