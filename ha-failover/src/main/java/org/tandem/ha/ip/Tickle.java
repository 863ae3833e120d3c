package org.tandem.ha.ip;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.heartbeat.TcpConnection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The tickle: for each connection an initiator had to the peer, send a SYN from the portal's address and port
 * (SO_REUSEPORT, shared with the listener) to the initiator's port. The initiator, holding an established
 * connection with that 4-tuple, answers with a challenge ACK carrying its real sequence numbers (RFC 5961 section
 * 4); this kernel answers that with a RST the initiator accepts, and it reconnects at once (what CTDB's tickle ACK
 * and Pacemaker's portblock achieve with raw packets, done with an ordinary socket).
 *
 * <p>The challenge ACK only reaches this node once the initiator has the new MAC, so the first round waits a
 * moment for the gratuitous ARP sent when the address came up. A second round follows in case that ARP was late or
 * lost; it is spaced past Linux's per-connection limit on challenge ACKs (one per 500 ms,
 * net.ipv4.tcp_invalid_ratelimit), which would otherwise swallow it. An initiator that already reconnected answers
 * the second SYN with a RST: harmless. Every wait is a task on the node's timer thread; nothing sleeps.
 */
public final class Tickle {
    private static final Logger LOG = LogManager.getLogger(Tickle.class);
    /** Time for the first gratuitous ARP (its arping starts as the address comes up) to reach the initiators. */
    static final long ARP_SETTLE_MILLIS = 40;
    /** From the end of the first round to the second: past the kernel's 500 ms limit on challenge ACKs. */
    static final long SECOND_TICKLE_MILLIS = 600;
    /** How long a round keeps its sockets in SYN_SENT, so that the challenge ACK meets one and is reset. */
    static final long SYN_SENT_MILLIS = 100;

    private final ScheduledExecutorService timers;

    /** @param timers the node's timer thread: runs the rounds (a few non-blocking socket calls each) */
    public Tickle(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /**
     * Tickles the connections: the first round 40 ms from now, the second 600 ms after the first ends. Completes
     * when the first round's sockets are closed (about 140 ms from now), which is when the takeover step ends;
     * the second round runs on its own. Best effort: a connection that cannot be tickled is logged and skipped.
     */
    public CompletableFuture<Void> tickle(List<TcpConnection> connections) {
        long start = System.nanoTime();
        CompletableFuture<Void> first = new CompletableFuture<>();
        if (!later(() -> round(connections, start, first), ARP_SETTLE_MILLIS)) {
            return CompletableFuture.completedFuture(null); // the node is closing
        }
        return first.thenRun(() -> {
            LOG.info("cluster: tickled {} initiator connection(s) {}", connections.size(), connections);
            long second = System.nanoTime();
            later(() -> round(connections, second, new CompletableFuture<>()), SECOND_TICKLE_MILLIS);
        });
    }

    /** Runs {@code task} on the timer thread in {@code millis}; false when the node is closing and takes no more. */
    private boolean later(Runnable task, long millis) {
        try {
            timers.schedule(task, millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * One round: a SYN to each connection, the sockets closed {@link #SYN_SENT_MILLIS} later, then {@code done}
     * completes. {@code since}: when the wait before the round began (for the debug log).
     */
    private void round(List<TcpConnection> connections, long since, CompletableFuture<Void> done) {
        List<SocketChannel> open = new ArrayList<>();
        try {
            for (TcpConnection c : connections) {
                try {
                    SocketChannel ch = SocketChannel.open();
                    open.add(ch);
                    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    ch.bind(new InetSocketAddress(InetAddress.getByAddress(TcpConnection.bytes(c.localAddress())),
                            c.localPort()));
                    ch.configureBlocking(false);
                    ch.connect(new InetSocketAddress(InetAddress.getByAddress(TcpConnection.bytes(c.remoteAddress())),
                            c.remotePort()));
                } catch (IOException e) {
                    LOG.warn("cluster: cannot tickle {}: {}", c, e.toString());
                }
            }
            LOG.debug("cluster: tickle SYN(s) sent {} ms after the round began",
                    (System.nanoTime() - since) / 1_000_000);
        } finally {
            Runnable close = () -> {
                closeAll(open);
                done.complete(null);
            };
            if (!later(close, SYN_SENT_MILLIS)) {
                close.run();
            }
        }
    }

    private static void closeAll(List<SocketChannel> open) {
        for (SocketChannel ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a half-open probe
            }
        }
    }
}
