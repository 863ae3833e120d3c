package org.tandem.iscsi.pdu;

/** Login Response status classes and details (RFC 7143 section 11.13.5), each with the words logged for it. */
public enum LoginStatus {
    SUCCESS(0x00, 0x00, "success"),
    INITIATOR_ERROR(0x02, 0x00, "initiator error"),
    AUTHENTICATION_FAILURE(0x02, 0x01, "authentication failure"),
    AUTHORIZATION_FAILURE(0x02, 0x02, "initiator not authorized"),
    NOT_FOUND(0x02, 0x03, "target not found"),
    TARGET_REMOVED(0x02, 0x04, "target removed"),
    UNSUPPORTED_VERSION(0x02, 0x05, "unsupported version"),
    TOO_MANY_CONNECTIONS(0x02, 0x06, "too many connections"),
    MISSING_PARAMETER(0x02, 0x07, "missing parameter"),
    CANNOT_INCLUDE_IN_SESSION(0x02, 0x08, "cannot include in session"),
    SESSION_TYPE_NOT_SUPPORTED(0x02, 0x09, "session type not supported"),
    SESSION_DOES_NOT_EXIST(0x02, 0x0a, "session does not exist"),
    INVALID_DURING_LOGIN(0x02, 0x0b, "invalid request during login"),
    TARGET_ERROR(0x03, 0x00, "target error"),
    SERVICE_UNAVAILABLE(0x03, 0x01, "service unavailable"),
    OUT_OF_RESOURCES(0x03, 0x02, "out of resources");

    private final int statusClass;
    private final int detail;
    private final String words;

    LoginStatus(int statusClass, int detail, String words) {
        this.statusClass = statusClass;
        this.detail = detail;
        this.words = words;
    }

    public int statusClass() {
        return statusClass;
    }

    public int detail() {
        return detail;
    }

    @Override
    public String toString() {
        return String.format("%02x%02x %s", statusClass, detail, words);
    }
}
