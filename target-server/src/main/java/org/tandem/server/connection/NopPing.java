package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;

import java.util.concurrent.TimeUnit;

/**
 * NOP-Out and NOP-In of one connection (RFC 7143 sections 11.18 and 11.19): answers an initiator's ping with its
 * data echoed, and with IET's NOPInterval pings the initiator itself, closing the connection when a ping stays
 * unanswered for NOPTimeout. Used on the connection's event loop.
 */
final class NopPing {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);
    private static final int RESERVED = Bhs.RESERVED_TAG;

    private final ConnectionContext connection;
    private final int intervalSeconds;
    private final int timeoutSeconds;
    private ScheduledFuture<?> timer;
    private int outstandingPing = RESERVED;
    private long pingSentNanos;

    /**
     * @param intervalSeconds NOPInterval: seconds between pings, 0 for none
     * @param timeoutSeconds  NOPTimeout: seconds a ping may stay unanswered; 0 or more than the interval means the
     *                        interval (IET's rule)
     */
    NopPing(ConnectionContext connection, int intervalSeconds, int timeoutSeconds) {
        this.connection = connection;
        this.intervalSeconds = intervalSeconds;
        this.timeoutSeconds = timeoutSeconds == 0 || timeoutSeconds > intervalSeconds ? intervalSeconds
                : timeoutSeconds;
    }

    /** Starts pinging every NOPInterval seconds, when there is an interval. */
    void start() {
        if (intervalSeconds > 0) {
            timer = connection.ctx().executor().scheduleAtFixedRate(this::ping, intervalSeconds, intervalSeconds,
                    TimeUnit.SECONDS);
        }
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** A NOP-Out: the answer to our ping (it quotes our Target Transfer Tag), a one-way NOP, or a ping to echo. */
    void nopOut(NopOut n) {
        if (n.targetTransferTag() != RESERVED) {
            if (n.targetTransferTag() == outstandingPing) {
                outstandingPing = RESERVED;
            }
            return;
        }
        if (n.initiatorTaskTag() == RESERVED) {
            return; // an initiator's one-way NOP needs no answer
        }
        // The echo is cut at the initiator's MaxRecvDataSegmentLength: a longer PDU would break its framing.
        ByteBuf echo = n.data().retainedSlice(n.data().readerIndex(),
                Math.min(n.data().readableBytes(), connection.parameters().maxXmitDataSegmentLength()));
        connection.ctx().writeAndFlush(new NopIn(n.logicalUnitNumber(), n.initiatorTaskTag(), RESERVED,
                connection.nextStatSn(), connection.window().expCmdSn(), connection.window().maxCmdSn(), echo));
    }

    /** The event loop's monotonic clock: the one its timers run on (a test's EmbeddedChannel can advance it). */
    private long now() {
        return connection.ctx().executor().ticker().nanoTime();
    }

    /** NOPInterval: ping the initiator; one that leaves a ping unanswered for NOPTimeout is gone. */
    private void ping() {
        if (outstandingPing != RESERVED) {
            if (now() - pingSentNanos >= TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                LOG.warn("{}: no answer to NOP-In ping within {} s; connection closed", connection.describe(),
                        timeoutSeconds);
                connection.ctx().close();
            }
            return;
        }
        outstandingPing = connection.nextTargetTransferTag();
        pingSentNanos = now();
        connection.ctx().writeAndFlush(new NopIn(0, RESERVED, outstandingPing, connection.currentStatSn(),
                connection.window().expCmdSn(), connection.window().maxCmdSn(), Unpooled.EMPTY_BUFFER));
    }
}
