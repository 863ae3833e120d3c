package org.tandem.iscsi.text;

import io.netty.buffer.ByteBuf;

/**
 * The sending side of text continuation (RFC 7143 sections 6.1, 11.11 and 11.13): an encoded text that may be
 * longer than the peer's MaxRecvDataSegmentLength, handed out as data segments of at most that many bytes. The
 * sender sets the C bit on every segment but the last and sends the next one when the peer answers with an empty
 * request. A key=value pair may be split between segments; the peer joins them before parsing.
 *
 * <p>Owns the encoded text until {@link #close()}. Not thread-safe: used on one connection's event loop.
 */
public final class OutgoingText implements AutoCloseable {
    private final ByteBuf text;
    private final int segmentLimit;
    private boolean closed;

    /**
     * @param text         the encoded text; ownership passes to this object
     * @param segmentLimit the largest data segment the peer accepts, in bytes (at least 1)
     */
    public OutgoingText(ByteBuf text, int segmentLimit) {
        if (segmentLimit < 1) {
            text.release();
            throw new IllegalArgumentException("segment limit " + segmentLimit);
        }
        this.text = text;
        this.segmentLimit = segmentLimit;
    }

    /** The next data segment, a retained slice the caller owns (empty once everything was handed out). */
    public ByteBuf next() {
        return text.readRetainedSlice(Math.min(segmentLimit, text.readableBytes()));
    }

    /** Whether text remains after the segments handed out so far: the last one handed out needs the C bit. */
    public boolean hasMore() {
        return text.isReadable();
    }

    /** Releases what was not handed out; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            text.release(); // segments handed out hold their own references
        }
    }
}
