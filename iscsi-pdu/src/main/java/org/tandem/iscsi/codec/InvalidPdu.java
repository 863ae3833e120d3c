package org.tandem.iscsi.codec;

import org.tandem.iscsi.pdu.RejectReason;

/**
 * What the frame decoder emits instead of a PDU when one cannot be accepted: the reason to put in a Reject, the
 * rejected header (Reject's data segment), and whether the stream can still be trusted. A fatal one (a header
 * digest error, a length beyond the negotiated limit) means framing is lost: answer and close the connection.
 */
public record InvalidPdu(RejectReason reason, boolean fatal, byte[] header, String detail) {
}
