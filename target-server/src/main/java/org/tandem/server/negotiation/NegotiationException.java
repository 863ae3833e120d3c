package org.tandem.server.negotiation;

/** A negotiation the initiator broke beyond answering "Reject": the login fails with an initiator error. */
public final class NegotiationException extends Exception {
    public NegotiationException(String message) {
        super(message, null, false, false);
    }
}
