/**
 * The iSCSI Protocol Data Units of RFC 7143 section 11, one immutable record per PDU type, with the
 * 48-byte Basic Header Segment layout each one reads and writes. No sockets, no session state.
 */
package org.tandem.iscsi.pdu;
