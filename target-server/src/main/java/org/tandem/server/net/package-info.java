/** The Netty server: event loops, the listening portals, and the one place each connection's pipeline is
 * assembled (frame decoder, PDU encoder, login handler, later the full feature handler). */
package org.tandem.server.net;
