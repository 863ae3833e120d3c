package org.tandem.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.session.TargetCatalog;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Listens on the portals and serves iSCSI connections for a {@link TargetCatalog}. */
public final class TargetServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(TargetServer.class);

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final List<Channel> listeners;
    private final ChannelGroup connections;

    private TargetServer(EventLoopGroup acceptors, EventLoopGroup workers, List<Channel> listeners,
                         ChannelGroup connections) {
        this.acceptors = acceptors;
        this.workers = workers;
        this.listeners = listeners;
        this.connections = connections;
    }

    /**
     * Binds every portal. Worker event loops default to one per core: each connection stays on one loop, and
     * storage work runs elsewhere, so more loops would only add context switches.
     */
    public static TargetServer start(TargetCatalog catalog, List<InetSocketAddress> portals)
            throws InterruptedException {
        return start(catalog, portals, () -> { });
    }

    /**
     * As {@link #start(TargetCatalog, List)}; {@code connectionsChanged} runs (on an event loop: it must not block)
     * whenever an initiator's connection opens or closes (the cluster shares the list with its peer).
     */
    public static TargetServer start(TargetCatalog catalog, List<InetSocketAddress> portals,
                                     Runnable connectionsChanged) throws InterruptedException {
        EventLoopGroup acceptors = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup("iscsi-connections", GlobalEventExecutor.INSTANCE);
        List<Channel> listeners = new ArrayList<>();
        ServerBootstrap b = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                // SO_REUSEPORT lets a takeover bind a socket to a portal's address and port for a moment, to tickle
                // initiators' stale connections (see ha-failover's ip.Tickle).
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new IscsiChannelInitializer(catalog, connections, connectionsChanged));
        try {
            for (InetSocketAddress portal : portals) {
                Channel listener = b.bind(portal).sync().channel();
                listeners.add(listener);
                // The address asked for (a wildcard reads better so than as the IPv6 one Java binds), with the port
                // bound: port 0 picks a free one.
                LOG.log(catalog.sessionLogLevel(), "listening on {}", new InetSocketAddress(portal.getAddress(),
                        ((InetSocketAddress) listener.localAddress()).getPort()));
            }
        } catch (RuntimeException | InterruptedException e) {
            listeners.forEach(Channel::close);
            acceptors.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
        return new TargetServer(acceptors, workers, listeners, connections);
    }

    /** The addresses actually bound (port 0 in a portal means any free port). */
    public List<InetSocketAddress> boundAddresses() {
        return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    /** The initiators' open connections (the cluster shares those of IPv4 with its peer). */
    public List<ConnectionAddress> connections() {
        List<ConnectionAddress> all = new ArrayList<>();
        for (Channel c : connections) {
            if (c.localAddress() instanceof InetSocketAddress local
                    && c.remoteAddress() instanceof InetSocketAddress remote) {
                all.add(new ConnectionAddress(local, remote));
            }
        }
        return all;
    }

    /** Stops listening, closes every connection (their running commands finish first on the I/O executor). */
    @Override
    public void close() {
        listeners.forEach(c -> c.close().awaitUninterruptibly());
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
