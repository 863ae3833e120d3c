package org.tandem.server.login;

import io.netty.channel.embedded.EmbeddedChannel;
import org.tandem.server.IpEmbeddedChannel;

import java.net.InetSocketAddress;

/**
 * The login tests' channel: a real connection's addresses, initiator 127.0.0.1:50000 to the portal
 * 127.0.0.1:3260, since the login consults targets.allow (by portal) and initiators.allow (by initiator address).
 */
final class PortalChannel {
    private PortalChannel() {
    }

    static EmbeddedChannel open() {
        return new IpEmbeddedChannel(new InetSocketAddress("127.0.0.1", 3260), new InetSocketAddress("127.0.0.1",
                50000));
    }
}
