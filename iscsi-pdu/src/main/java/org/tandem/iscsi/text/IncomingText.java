package org.tandem.iscsi.text;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The receiving side of text continuation (RFC 7143 sections 6.1, 11.10 and 11.12): a Login or Text Request with
 * the C bit carries part of a text whose pairs may be split between PDUs; the receiver holds the parts and parses
 * the text only when the PDU without the C bit arrives. Login and full feature phase both use this one class; they
 * differ only in what they answer in between (an empty Login Response with NSG=CSG, or an empty Text Response with
 * a Target Transfer Tag) and in how they refuse a text that is too long.
 *
 * <p>Holds retained references to the segments it was given until {@link #complete} or {@link #close()}. Not
 * thread-safe: used on one connection's event loop.
 */
public final class IncomingText implements AutoCloseable {
    /** What a target holds for one text: far above any real negotiation, far below a memory attack (bytes). */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final int limit;
    private CompositeByteBuf held;

    /** @param limit the most bytes one text may have, summed over its PDUs (at least 1) */
    public IncomingText(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit " + limit);
        }
        this.limit = limit;
    }

    /** Whether parts of a text are held: a PDU with the C bit came and its last PDU has not. */
    public boolean inProgress() {
        return held != null;
    }

    /**
     * Holds the data segment of a PDU with the C bit (the caller keeps its own reference).
     *
     * @throws TextTooLongException when the text grows past the limit; what was held is dropped
     */
    public void append(ByteBuf segment) throws TextTooLongException {
        add(segment);
    }

    /**
     * The whole text, the held parts followed by {@code last} (the data of the PDU without the C bit), parsed. The
     * held parts are dropped whatever the outcome, so the next text starts afresh.
     *
     * @throws TextTooLongException when {@code last} takes a continued text past the limit
     * @throws TextFormatException  when the joined text breaks RFC 7143 section 6's format
     */
    public TextParameters complete(ByteBuf last) throws TextTooLongException, TextFormatException {
        if (held == null) {
            // A text in one PDU is bounded by the receiver's MaxRecvDataSegmentLength already (the decoder checks).
            return TextParameters.parse(last);
        }
        add(last);
        try {
            return TextParameters.parse(held);
        } finally {
            close();
        }
    }

    private void add(ByteBuf segment) throws TextTooLongException {
        int before = held == null ? 0 : held.readableBytes();
        if ((long) before + segment.readableBytes() > limit) {
            close();
            throw new TextTooLongException(limit);
        }
        if (held == null) {
            held = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        }
        held.addComponent(true, segment.retainedSlice());
    }

    /** Drops the held parts; idempotent. */
    @Override
    public void close() {
        if (held != null) {
            held.release();
            held = null;
        }
    }
}
