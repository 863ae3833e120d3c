package org.tandem.scsi.cdb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Parameter data returned to the initiator, cut to the CDB's ALLOCATION LENGTH (SPC-5 section 4.2.5.6). */
public final class ParameterData {
    private ParameterData() {
    }

    public static ByteBuf truncated(byte[] data, long allocationLength) {
        int n = (int) Math.min(data.length, allocationLength);
        return Unpooled.wrappedBuffer(data, 0, n);
    }

    public static ByteBuf truncated(ByteBuf data, long allocationLength) {
        int n = (int) Math.min(data.readableBytes(), allocationLength);
        return data.writerIndex(data.readerIndex() + n);
    }
}
