package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;

import java.util.List;

/**
 * Writes PDUs: header (BHS, AHS, header digest) in a fresh buffer, then the PDU's own data buffer unchanged (no
 * copy), then padding and data digest. Takes ownership of the PDU's data: it is released when written.
 */
@ChannelHandler.Sharable
public final class IscsiPduEncoder extends MessageToMessageEncoder<IscsiPdu> {
    private final FrameSettings settings;

    public IscsiPduEncoder(FrameSettings settings) {
        super(IscsiPdu.class);
        this.settings = settings;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, IscsiPdu pdu, List<Object> out) {
        ByteBuf data = pdu.data();
        ByteBuf ahs = pdu.additionalHeaders();
        try {
            int dataLength = data.readableBytes();
            int ahsBytes = ahs.readableBytes();
            ByteBuf header = ctx.alloc().buffer(Bhs.LENGTH + ahsBytes + 4 + 8);
            pdu.writeBhs(header);
            header.setByte(Bhs.TOTAL_AHS_LENGTH, ahsBytes / 4);
            header.setMedium(Bhs.DATA_SEGMENT_LENGTH, dataLength);
            header.writeBytes(ahs, ahs.readerIndex(), ahsBytes);
            if (settings.headerDigest()) {
                header.writeIntLE(Crc32c.of(header, 0, header.writerIndex()));
            }
            if (dataLength == 0) {
                out.add(header);
                data.release();
                return;
            }
            int padding = Bhs.padding(dataLength);
            boolean digest = settings.dataDigest();
            if (dataLength <= 1024) {
                // Small segments: one buffer is cheaper than three writes.
                header.writeBytes(data, data.readerIndex(), dataLength).writeZero(padding);
                if (digest) {
                    header.writeIntLE(Crc32c.ofDataSegment(data, data.readerIndex(), dataLength, padding));
                }
                data.release();
                out.add(header);
                return;
            }
            out.add(header);
            out.add(data);
            if (padding > 0 || digest) {
                ByteBuf trailer = ctx.alloc().buffer(8);
                trailer.writeZero(padding);
                if (digest) {
                    trailer.writeIntLE(Crc32c.ofDataSegment(data, data.readerIndex(), dataLength, padding));
                }
                out.add(trailer);
            }
        } catch (RuntimeException e) {
            data.release();
            throw e;
        } finally {
            ahs.release();
        }
    }
}
