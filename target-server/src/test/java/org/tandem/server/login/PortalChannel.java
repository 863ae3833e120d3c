package org.tandem.server.login;

import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An EmbeddedChannel with the addresses of a real connection, initiator 127.0.0.1:50000 to the portal
 * 127.0.0.1:3260: the login consults targets.allow (by portal) and initiators.allow (by initiator address).
 */
final class PortalChannel extends EmbeddedChannel {
    @Override
    protected SocketAddress remoteAddress0() {
        return new InetSocketAddress("127.0.0.1", 50000);
    }

    @Override
    protected SocketAddress localAddress0() {
        return new InetSocketAddress("127.0.0.1", 3260);
    }
}
