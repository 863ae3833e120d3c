package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.MalformedPduException;
import org.tandem.iscsi.pdu.Opcode;
import org.tandem.iscsi.pdu.RejectReason;

import java.util.List;

/**
 * Cuts the byte stream into PDUs: BHS, AHS, header digest, data segment, padding, data digest. Emits an
 * {@link org.tandem.iscsi.pdu.IscsiPdu} per good PDU (its data a retained slice, no copy) and an
 * {@link InvalidPdu} per bad one. Lengths are checked against the negotiated limits before anything is
 * buffered for them; after a fatal error the decoder discards everything that follows.
 * Not sharable: it keeps the stream position of one connection.
 */
public final class IscsiFrameDecoder extends ByteToMessageDecoder {
    /** RFC 7143 allows 255 words of AHS; no PDU Tandem accepts needs more than this. */
    private static final int MAX_AHS_BYTES = 1020;

    private final FrameSettings settings;
    private final boolean targetSide;
    private boolean broken;

    /**
     * @param settings   the connection's digest and length settings, read before each PDU
     * @param targetSide true to accept only initiator opcodes (a target), false for the initiator side
     */
    public IscsiFrameDecoder(FrameSettings settings, boolean targetSide) {
        this.settings = settings;
        this.targetSide = targetSide;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Bhs.LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int ahsBytes = Bhs.totalAhsBytes(in, start);
        int dataLength = Bhs.dataSegmentLength(in, start);
        if (dataLength > settings.maxRecvDataSegmentLength() || ahsBytes > MAX_AHS_BYTES) {
            fail(in, out, RejectReason.PROTOCOL_ERROR, "DataSegmentLength " + dataLength
                    + " exceeds MaxRecvDataSegmentLength " + settings.maxRecvDataSegmentLength()
                    + " (or TotalAHSLength " + ahsBytes + " too long)");
            return;
        }
        int headerDigestBytes = settings.headerDigest() ? 4 : 0;
        int padding = Bhs.padding(dataLength);
        int dataDigestBytes = settings.dataDigest() && dataLength > 0 ? 4 : 0;
        int headerEnd = start + Bhs.LENGTH + ahsBytes;
        int frameLength = Bhs.LENGTH + ahsBytes + headerDigestBytes + dataLength + padding + dataDigestBytes;
        if (in.readableBytes() < frameLength) {
            return;
        }
        if (headerDigestBytes > 0
                && Crc32c.of(in, start, Bhs.LENGTH + ahsBytes) != in.getIntLE(headerEnd)) {
            // The length fields themselves cannot be trusted: no way to find the next PDU (RFC 7143 section 7.8).
            fail(in, out, RejectReason.PROTOCOL_ERROR, "header digest error");
            return;
        }
        int dataStart = headerEnd + headerDigestBytes;
        if (dataDigestBytes > 0 && Crc32c.ofDataSegment(in, dataStart, dataLength, padding)
                != in.getIntLE(dataStart + dataLength + padding)) {
            out.add(new InvalidPdu(RejectReason.DATA_DIGEST_ERROR, false, header(in, start), "data digest error"));
            in.skipBytes(frameLength);
            return;
        }
        Opcode opcode = Opcode.of(Bhs.opcodeCode(in, start));
        if (opcode == null || opcode.fromInitiator() != targetSide) {
            out.add(new InvalidPdu(RejectReason.COMMAND_NOT_SUPPORTED, false, header(in, start),
                    "opcode 0x" + Integer.toHexString(Bhs.opcodeCode(in, start)) + " not accepted here"));
            in.skipBytes(frameLength);
            return;
        }
        ByteBuf bhs = in.slice(start, Bhs.LENGTH);
        ByteBuf ahs = in.slice(start + Bhs.LENGTH, ahsBytes);
        ByteBuf data = dataLength == 0 ? Unpooled.EMPTY_BUFFER : in.retainedSlice(dataStart, dataLength);
        try {
            out.add(PduDecoder.decode(opcode, bhs, ahs, data));
        } catch (MalformedPduException e) {
            data.release();
            out.add(new InvalidPdu(e.reason(), false, header(in, start), e.getMessage()));
        }
        in.skipBytes(frameLength);
    }

    private void fail(ByteBuf in, List<Object> out, RejectReason reason, String detail) {
        broken = true;
        out.add(new InvalidPdu(reason, true, header(in, in.readerIndex()), detail));
        in.skipBytes(in.readableBytes());
    }

    private static byte[] header(ByteBuf in, int start) {
        return ByteBufUtil.getBytes(in, start, Bhs.LENGTH);
    }
}
