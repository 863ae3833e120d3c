package org.tandem.lun.memory;

import io.netty.buffer.ByteBuf;
import org.tandem.lun.spi.BlockStore;

import java.io.IOException;

/** Keeps the blocks in a heap array: a real store, for tests, limited to 2 GiB. */
public final class MemoryStore implements BlockStore {
    private final int blockSize;
    private final long blockCount;
    private final boolean readOnly;
    private final byte[] bytes;

    public MemoryStore(int blockSize, long blockCount, boolean readOnly) {
        if (blockCount * blockSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a memory store holds at most 2 GiB");
        }
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.readOnly = readOnly;
        this.bytes = new byte[(int) (blockCount * blockSize)];
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return blockCount;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public boolean writeCacheEnabled() {
        return false;
    }

    @Override
    public void read(long offset, ByteBuf dst, int length) {
        dst.writeBytes(bytes, (int) offset, length);
    }

    @Override
    public void write(long offset, ByteBuf src, boolean forceUnitAccess) {
        src.getBytes(src.readerIndex(), bytes, (int) offset, src.readableBytes());
    }

    @Override
    public long resize(long blocks) throws IOException {
        throw new IOException("a memory store keeps the size it was made with");
    }

    @Override
    public void flush() {
    }

    @Override
    public String describe() {
        return "memory (" + blockCount + " x " + blockSize + ")";
    }

    @Override
    public void close() {
    }
}
