package org.tandem.server.negotiation;

/**
 * How ietd.conf sets one {@link IscsiKey} for a target (ietd.conf(5)): the form of the value, the range Tandem
 * accepts and the value a target without the directive has. The range is IET's (usr/param.c), which can be
 * narrower than the RFC's: ErrorRecoveryLevel is configurable as 0 only, the in-order keys as Yes only.
 *
 * @param kind         how the value is written
 * @param min          the lowest value accepted (booleans: 0 for No, 1 for Yes); unused for digests
 * @param max          the highest value accepted; unused for digests
 * @param defaultValue the value without the directive (booleans as 0 or 1); unused for digests, whose default is
 *                     "None,CRC32C"
 */
public record Directive(Kind kind, int min, int max, int defaultValue) {
    /** How a directive's value is written. */
    public enum Kind {
        /** A decimal (or 0x hexadecimal) number in the range. */
        NUMBER,
        /** Yes or No, case as written; kept as 1 or 0. */
        BOOLEAN,
        /** None, CRC32C or a comma list of them in preference order; kept as text. */
        DIGEST
    }

    static Directive number(int min, int max, int defaultValue) {
        return new Directive(Kind.NUMBER, min, max, defaultValue);
    }

    static Directive yesNo(int min, int max, int defaultValue) {
        return new Directive(Kind.BOOLEAN, min, max, defaultValue);
    }

    static Directive digest() {
        return new Directive(Kind.DIGEST, 0, 0, 0);
    }

    /** A number or boolean as ietd.conf and the login write it: Yes/No for booleans, decimal otherwise. */
    public String text(int value) {
        return kind == Kind.BOOLEAN ? (value != 0 ? "Yes" : "No") : Integer.toString(value);
    }
}
