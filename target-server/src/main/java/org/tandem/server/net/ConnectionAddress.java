package org.tandem.server.net;

import java.net.InetSocketAddress;

/** An initiator's TCP connection to a portal: the portal's address and port here, and the initiator's. */
public record ConnectionAddress(InetSocketAddress local, InetSocketAddress remote) {
}
