package org.tandem.iscsi.text;

/** A text segment that breaks RFC 7143 section 6's format: no '=', an over-long key or value, bad encoding. */
public final class TextFormatException extends Exception {
    public TextFormatException(String message) {
        super(message, null, false, false);
    }
}
