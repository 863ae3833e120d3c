package org.tandem.server.session;

import io.netty.util.concurrent.EventExecutor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers a session's in-order PDUs one at a time, in the order queued, each on its own connection's event loop
 * (the connections of an MC/S session run on different loops). The next PDU is delivered only after the one before
 * it: delivery hops from loop to loop with {@code execute}, so no thread ever waits for another. A PDU of the
 * calling thread's own loop is delivered at once, so a single-connection session pays nothing. Thread-safe.
 */
final class OrderedDelivery {
    private static final Logger LOG = LogManager.getLogger(OrderedDelivery.class);

    private final ArrayDeque<OrderedPdu> ready = new ArrayDeque<>();
    private boolean running;

    /** Queues PDUs that are in order, lowest CmdSN first. */
    synchronized void enqueue(List<OrderedPdu> pdus) {
        ready.addAll(pdus);
    }

    /** PDUs queued and not yet delivered (the one being delivered included): slots the window must keep. */
    synchronized int pending() {
        return ready.size();
    }

    /** Delivers whatever is queued, unless a delivery is under way already (it then delivers these too). */
    void drain() {
        synchronized (this) {
            if (running || ready.isEmpty()) {
                return;
            }
            running = true;
        }
        run();
    }

    private void run() {
        while (true) {
            OrderedPdu next;
            synchronized (this) {
                next = ready.peek();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            EventExecutor loop = next.executor();
            if (loop.inEventLoop()) {
                deliver(next);
                continue;
            }
            try {
                loop.execute(() -> {
                    deliver(next);
                    run();
                });
                return;
            } catch (RejectedExecutionException e) {
                // That connection's loop is shutting down: nobody there can act on it any more.
                synchronized (this) {
                    ready.poll();
                }
                next.discard();
            }
        }
    }

    private void deliver(OrderedPdu pdu) {
        try {
            pdu.deliver();
        } catch (RuntimeException e) {
            LOG.warn("delivering a PDU in CmdSN order failed", e);
        } finally {
            synchronized (this) {
                ready.poll();
            }
        }
    }
}
