package org.tandem.iscsi.pdu;

/** The CSG/NSG values of Login PDUs (RFC 7143 section 11.12.3). */
public enum LoginStage {
    SECURITY_NEGOTIATION(0),
    LOGIN_OPERATIONAL_NEGOTIATION(1),
    RESERVED(2),
    FULL_FEATURE_PHASE(3);

    private final int code;

    LoginStage(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static LoginStage of(int code) {
        return values()[code & 3];
    }
}
