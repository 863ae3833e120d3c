package org.tandem.server.control;

/** A change the target refuses or could not make, with the kind of refusal the caller maps to its own terms. */
public final class ControlException extends Exception {
    /** Why: each maps to one HTTP status in the admin endpoint. */
    public enum Kind {
        /** No such target, LUN or session. */
        NOT_FOUND,
        /** The request is malformed or names an impossible value. */
        INVALID,
        /** It would break something in use, or the state changed under it; may be forced. */
        CONFLICT,
        /** The change was valid but failed (storage or file system). */
        FAILED
    }

    private final Kind kind;

    public ControlException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static ControlException notFound(String message) {
        return new ControlException(Kind.NOT_FOUND, message);
    }

    static ControlException invalid(String message) {
        return new ControlException(Kind.INVALID, message);
    }

    static ControlException conflict(String message) {
        return new ControlException(Kind.CONFLICT, message);
    }

    static ControlException failed(String message) {
        return new ControlException(Kind.FAILED, message);
    }
}
