/**
 * Netty codecs that turn a TCP byte stream into {@link org.tandem.iscsi.pdu.IscsiPdu}s and back:
 * framing with negotiated limits, AHS, padding and CRC32C digests.
 */
package org.tandem.iscsi.codec;
