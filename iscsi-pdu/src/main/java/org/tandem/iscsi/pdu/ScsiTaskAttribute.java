package org.tandem.iscsi.pdu;

/** The ATTR field of a SCSI Command PDU (RFC 7143 section 11.3.1.3), the SAM task attribute. */
public enum ScsiTaskAttribute {
    UNTAGGED, SIMPLE, ORDERED, HEAD_OF_QUEUE, ACA;

    public static ScsiTaskAttribute of(int attr) {
        int a = attr & 7;
        return a < values().length ? values()[a] : SIMPLE;
    }
}
