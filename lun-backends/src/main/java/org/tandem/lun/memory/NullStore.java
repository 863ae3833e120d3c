package org.tandem.lun.memory;

import io.netty.buffer.ByteBuf;
import org.tandem.lun.spi.BlockStore;

import java.io.IOException;

/** IET's Type=nullio: reads return zeroes, writes are discarded. For benchmarks of everything but the disk. */
public final class NullStore implements BlockStore {
    private final int blockSize;
    private volatile long blockCount;
    private final boolean readOnly;

    public NullStore(int blockSize, long blockCount, boolean readOnly) {
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.readOnly = readOnly;
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
        dst.writeZero(length);
    }

    @Override
    public void write(long offset, ByteBuf src, boolean forceUnitAccess) {
    }

    @Override
    public long resize(long blocks) throws IOException {
        if (blocks <= 0) {
            throw new IOException("a nullio LUN needs a size of at least one block");
        }
        blockCount = blocks;
        return blocks;
    }

    @Override
    public void flush() {
    }

    @Override
    public String describe() {
        return "nullio (" + blockCount + " x " + blockSize + ")";
    }

    @Override
    public void close() {
    }
}
