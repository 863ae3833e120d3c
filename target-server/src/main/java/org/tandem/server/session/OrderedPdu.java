package org.tandem.server.session;

import io.netty.util.concurrent.EventExecutor;

/**
 * A non-immediate PDU in its session's CmdSN order, bound to the connection it arrived on. It is either delivered
 * or discarded, once.
 */
public interface OrderedPdu {
    /** Its connection's event loop: {@link #deliver} runs there. */
    EventExecutor executor();

    /** Hands the PDU to its connection to act on (which then releases it). Runs on {@link #executor()}. */
    void deliver();

    /** Releases the PDU without acting on it (its connection closed). Callable from any thread; idempotent. */
    void discard();
}
