package org.tandem.iscsi.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The iSCSI header and data digest (RFC 7143 section 13.1, CRC32C). The JDK's CRC32C is intrinsified on x86 and
 * ARM. The digest travels least significant byte first, as RFC 3720 appendix B.4's examples show.
 */
public final class Crc32c {
    private Crc32c() {
    }

    /** The CRC32C of {@code length} bytes of {@code buf} from {@code index}, not moving any index. */
    public static int of(ByteBuf buf, int index, int length) {
        CRC32C crc = new CRC32C();
        update(crc, buf, index, length);
        return (int) crc.getValue();
    }

    static void update(CRC32C crc, ByteBuf buf, int index, int length) {
        if (length == 0) {
            return;
        }
        if (buf.hasArray()) {
            crc.update(buf.array(), buf.arrayOffset() + index, length);
        } else {
            for (ByteBuffer b : buf.nioBuffers(index, length)) {
                crc.update(b);
            }
        }
    }

    /** The data digest: CRC32C over the data segment followed by its zero padding. */
    public static int ofDataSegment(ByteBuf data, int index, int length, int padding) {
        CRC32C crc = new CRC32C();
        update(crc, data, index, length);
        if (padding > 0) {
            crc.update(new byte[padding]);
        }
        return (int) crc.getValue();
    }
}
