package org.tandem.server.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.config.ConfigException;
import org.tandem.server.control.TargetControl;

import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin REST endpoint: one event loop for its few connections, two admin threads for the work (changes are
 * serialised by the control interface; a slow change does not hold up a status query).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(AdminServer.class);
    /** Largest request body: JSON of a few fields. */
    private static final int MAX_BODY = 1024 * 1024;

    private final EventLoopGroup group;
    private final Channel listener;
    private final ThreadPoolExecutor workers;
    private final AdminSettings settings;

    private AdminServer(EventLoopGroup group, Channel listener, ThreadPoolExecutor workers, AdminSettings settings) {
        this.group = group;
        this.listener = listener;
        this.workers = workers;
        this.settings = settings;
    }

    public static AdminServer start(AdminSettings settings, TargetControl control) throws ConfigException {
        TokenFile token = TokenFile.loadOrCreate(settings.tokenFile());
        SslContext ssl = TlsSetup.serverContext(settings);
        AdminApi api = new AdminApi(control);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64), r -> {
                    Thread t = new Thread(r, "tandem-admin-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        p.addLast("idle", new ReadTimeoutHandler(120));
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("aggregator", new HttpObjectAggregator(MAX_BODY));
                        p.addLast("admin", new AdminHandler(api, token, workers));
                    }
                });
        try {
            Channel listener = b.bind(settings.listen()).sync().channel();
            AdminSettings bound = settings.listeningOn((InetSocketAddress) listener.localAddress());
            LOG.info("admin endpoint on {} (token in {})", bound.url(), settings.tokenFile());
            return new AdminServer(group, listener, workers, bound);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownNow();
            throw new ConfigException("cannot listen for the admin endpoint on " + settings.listen() + ": "
                    + e.getMessage() + " (another tandemd? give this one its own admin.conf with another Listen"
                    + " address, name it with --admin-config, or start it with --no-admin)", e);
        }
    }

    /** The settings with the port actually bound. */
    public AdminSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        workers.shutdown();
    }
}
