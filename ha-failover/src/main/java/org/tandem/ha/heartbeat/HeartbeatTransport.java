package org.tandem.ha.heartbeat;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.HeartbeatLink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Sends each heartbeat on every link and receives the peer's, on a thread of its own so storage load cannot
 * delay them. Unicast and broadcast links share one socket on the UDP port; each multicast link has its own,
 * joined to its group on its interface. A received datagram is assigned to a link by its source: the unicast
 * peer's address, or an address in the subnet of the link's interface. Unicast lines naming one of this node's
 * own addresses are skipped, as Heartbeat skips them, so both nodes can share one ha.cf.
 */
public final class HeartbeatTransport implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(HeartbeatTransport.class);

    private final List<Link> links = new ArrayList<>();
    private final DatagramChannel shared;
    private final Selector selector;
    private final Thread receiver;
    private volatile boolean closed;

    /** One link as the transport uses it. */
    private record Link(int index, HeartbeatLink config, DatagramChannel channel, SocketAddress target,
                        InetAddress peer, List<InterfaceAddress> subnets) {
        boolean carries(InetAddress source) {
            if (peer != null) {
                return peer.equals(source);
            }
            for (InterfaceAddress a : subnets) {
                if (sameSubnet(a, source)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param localPort the UDP port to listen on (ha.cf's udpport)
     * @param peerPort  the port the peer listens on (the same, except in single-host tests)
     * @param receive   called on the receiver thread with (link index, or -1 when the source is no link's peer,
     *                  datagram bytes)
     */
    public HeartbeatTransport(List<HeartbeatLink> configured, int localPort, int peerPort,
                              BiConsumer<Integer, byte[]> receive) throws IOException {
        selector = Selector.open();
        shared = DatagramChannel.open(StandardProtocolFamily.INET);
        shared.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        shared.setOption(StandardSocketOptions.SO_BROADCAST, true);
        shared.bind(new InetSocketAddress(localPort));
        shared.configureBlocking(false);
        shared.register(selector, SelectionKey.OP_READ);
        try {
            for (HeartbeatLink l : configured) {
                Link link = open(l, links.size(), peerPort);
                if (link != null) {
                    links.add(link);
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        receiver = new Thread(() -> receiveLoop(receive), "tandem-heartbeat-rx");
        receiver.setDaemon(true);
        receiver.setPriority(Thread.MAX_PRIORITY);
        receiver.start();
    }

    private Link open(HeartbeatLink l, int index, int peerPort) throws IOException {
        if (l instanceof HeartbeatLink.Unicast u) {
            InetAddress peer = InetAddress.getByName(u.peer());
            if (!peer.isLoopbackAddress() && NetworkInterface.getByInetAddress(peer) != null) {
                LOG.info("heartbeat: ucast {} {} is this node's own address; skipped", u.iface(), u.peer());
                return null;
            }
            return new Link(index, l, shared, new InetSocketAddress(peer, peerPort), peer, List.of());
        }
        NetworkInterface iface = NetworkInterface.getByName(l.iface());
        if (iface == null) {
            throw new IOException("heartbeat link " + l + ": no interface " + l.iface());
        }
        List<InterfaceAddress> subnets = iface.getInterfaceAddresses().stream()
                .filter(a -> a.getAddress().getAddress().length == 4).toList();
        if (l instanceof HeartbeatLink.Broadcast) {
            // An address added without "brd" reports broadcast 0.0.0.0: sending there reaches only this host.
            InetAddress broadcast = subnets.stream().map(InterfaceAddress::getBroadcast)
                    .filter(b -> b != null && !b.isAnyLocalAddress()).findFirst()
                    .orElseThrow(() -> new IOException("heartbeat link bcast " + l.iface()
                            + ": the interface has no IPv4 broadcast address (give its address one, e.g. 'ip addr"
                            + " add ADDRESS/PREFIX brd + dev " + l.iface() + "', or use ucast)"));
            return new Link(index, l, shared, new InetSocketAddress(broadcast, peerPort), null, subnets);
        }
        HeartbeatLink.Multicast m = (HeartbeatLink.Multicast) l;
        InetAddress group = InetAddress.getByName(m.group());
        DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(new InetSocketAddress(m.port()));
        ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, iface);
        ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, m.ttl());
        ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, m.loop());
        ch.join(group, iface);
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        return new Link(index, l, ch, new InetSocketAddress(group, m.port()), null, subnets);
    }

    /** The links in use (after skipping unicast lines to ourselves), in order. */
    public List<HeartbeatLink> links() {
        return links.stream().map(Link::config).toList();
    }

    /** Sends one datagram on every link; a link that fails is logged (at most once per call) and skipped. */
    public void send(byte[] packet) {
        for (Link l : links) {
            try {
                l.channel().send(ByteBuffer.wrap(packet), l.target());
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("heartbeat: send on {} failed: {}", l.config(), e.toString());
                }
            }
        }
    }

    private void receiveLoop(BiConsumer<Integer, byte[]> receive) {
        ByteBuffer buffer = ByteBuffer.allocate(PacketCodec.MAX_PACKET + 1);
        while (!closed) {
            try {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) key.channel();
                    SocketAddress from;
                    while ((from = ch.receive(buffer.clear())) != null) {
                        InetAddress source = ((InetSocketAddress) from).getAddress();
                        byte[] data = new byte[buffer.position()];
                        buffer.flip().get(data);
                        int link = -1;
                        for (Link l : links) {
                            if (l.channel() == ch && l.carries(source)) {
                                link = l.index();
                                break;
                            }
                        }
                        receive.accept(link, data); // -1: from no link's peer (checked and dropped)
                    }
                }
                selector.selectedKeys().clear();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("heartbeat receiver: {}", e.toString());
                }
            }
        }
    }

    private static boolean sameSubnet(InterfaceAddress a, InetAddress b) {
        byte[] x = a.getAddress().getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return false;
        }
        int bits = a.getNetworkPrefixLength();
        for (int i = 0; i < x.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((x[i] & mask) != (y[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link l : links) {
            try {
                l.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            shared.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (receiver != null) {
            try {
                receiver.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
