package org.tandem.scsi.reservation;

/**
 * How a command fares against a reservation held by someone else (SPC-5 table 66, SPC-2 section 5.5.1): one
 * column of the command table, read by dispatch before the handler runs.
 */
public enum ReservationRule {
    /** Never conflicts: INQUIRY, REPORT LUNS, REQUEST SENSE, TEST UNIT READY, PERSISTENT RESERVE IN/OUT... */
    ALLOWED,
    /** Reads the medium or its settings: conflicts under the Exclusive Access types only. */
    READ,
    /** Changes the medium or its settings: conflicts under every type. */
    WRITE
}
