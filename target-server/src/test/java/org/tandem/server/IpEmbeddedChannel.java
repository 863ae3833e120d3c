package org.tandem.server;

import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * An EmbeddedChannel whose addresses are IP socket addresses, as a real connection's are: the target code reads
 * them as {@link InetSocketAddress} (SendTargets' portal, access rules, log lines). Add handlers with
 * {@code pipeline().addLast}.
 */
public final class IpEmbeddedChannel extends EmbeddedChannel {
    private final InetSocketAddress local;
    private final InetSocketAddress remote;

    public IpEmbeddedChannel(InetSocketAddress local, InetSocketAddress remote) {
        super(false, false); // registered below, once the addresses are set
        this.local = local;
        this.remote = remote;
        try {
            register();
        } catch (Exception e) {
            throw new IllegalStateException("an EmbeddedChannel that cannot register", e);
        }
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }
}
