package org.tandem.server.net;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.channel.socket.SocketChannel;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.codec.IscsiFrameDecoder;
import org.tandem.iscsi.codec.IscsiPduEncoder;
import org.tandem.server.login.LoginHandler;
import org.tandem.server.session.TargetCatalog;

/**
 * Assembles a connection's pipeline, with named handlers: "frame-decoder" (bytes to PDUs), "pdu-encoder" (PDUs to
 * bytes), and "login", which replaces itself with "full-feature" when the login succeeds. Decoder and encoder
 * share the connection's {@link FrameSettings} so digests switch on for both at the same PDU.
 */
final class IscsiChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final TargetCatalog catalog;
    private final ChannelGroup connections;
    private final Runnable connectionsChanged;

    IscsiChannelInitializer(TargetCatalog catalog, ChannelGroup connections, Runnable connectionsChanged) {
        this.catalog = catalog;
        this.connections = connections;
        this.connectionsChanged = connectionsChanged;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        connectionsChanged.run();
        ch.closeFuture().addListener(f -> connectionsChanged.run());
        FrameSettings settings = new FrameSettings();
        ch.pipeline()
                // Completions arrive one by one from the I/O threads; coalescing their flushes saves syscalls
                // when many commands are in flight, and costs nothing when one is.
                .addLast("flush-consolidation", new FlushConsolidationHandler(64, true))
                .addLast("frame-decoder", new IscsiFrameDecoder(settings, true))
                .addLast("pdu-encoder", new IscsiPduEncoder(settings))
                .addLast("login", new LoginHandler(catalog, settings));
    }
}
