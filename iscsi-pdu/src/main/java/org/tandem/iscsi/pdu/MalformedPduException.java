package org.tandem.iscsi.pdu;

/**
 * A PDU whose structure is wrong in a way the receiver can name. Thrown only inside the decoder, which turns it
 * into a {@link org.tandem.iscsi.codec.InvalidPdu} value carrying the reason for the Reject.
 */
public final class MalformedPduException extends RuntimeException {
    private final RejectReason reason;

    public MalformedPduException(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
