package org.tandem.iscsi.text;

/**
 * A text sent in several PDUs (C bit, RFC 7143 section 6.1) that grew past what the receiver holds: not a
 * negotiation but an attempt to make the target buffer without end. Its message gives the limit in bytes.
 */
public final class TextTooLongException extends Exception {
    private final int limit;

    public TextTooLongException(int limit) {
        super("text longer than " + limit + " bytes across its PDUs", null, false, false);
        this.limit = limit;
    }

    /** The most bytes the receiver holds for one text, summed over its PDUs. */
    public int limit() {
        return limit;
    }
}
