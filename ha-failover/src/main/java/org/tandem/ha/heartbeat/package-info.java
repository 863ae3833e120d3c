/**
 * Heartbeat packets: their wire format, signed with an HMAC key from authkeys, and the guard that drops
 * unsigned, badly signed, foreign and replayed packets.
 */
package org.tandem.ha.heartbeat;
