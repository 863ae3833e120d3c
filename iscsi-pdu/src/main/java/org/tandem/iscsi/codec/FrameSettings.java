package org.tandem.iscsi.codec;

/**
 * What one connection's decoder and encoder must know of its negotiated state: whether header and data digests
 * are on and the largest data segment this side agreed to receive. Changed by the connection's handler on its
 * event loop, between PDUs (RFC 7143 section 13.1: digests start with the first PDU after login), and read by
 * the codecs on that same loop, so it needs no synchronisation.
 */
public final class FrameSettings {
    /** MaxRecvDataSegmentLength's default, which also bounds every Login PDU (RFC 7143 section 13.12). */
    public static final int DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH = 8192;

    private boolean headerDigest;
    private boolean dataDigest;
    private int maxRecvDataSegmentLength = DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH;

    public boolean headerDigest() {
        return headerDigest;
    }

    public boolean dataDigest() {
        return dataDigest;
    }

    public int maxRecvDataSegmentLength() {
        return maxRecvDataSegmentLength;
    }

    public void digests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    public void maxRecvDataSegmentLength(int length) {
        this.maxRecvDataSegmentLength = length;
    }
}
