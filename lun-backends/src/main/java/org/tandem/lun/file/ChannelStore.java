package org.tandem.lun.file;

import io.netty.buffer.ByteBuf;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.spi.IoMode;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

/**
 * A store on a FileChannel with positional I/O, which is thread-safe and needs no lock. Write-through (IOMode=wt)
 * opens the channel with O_DSYNC, so each write is durable when it returns; write-back leaves durability to
 * {@link #flush()} and FUA writes.
 */
abstract class ChannelStore implements BlockStore {
    private final FileChannel channel;
    private final Path path;
    private final IoMode ioMode;
    private final int blockSize;
    private volatile long blockCount;

    ChannelStore(FileChannel channel, Path path, IoMode ioMode, int blockSize, long sizeBytes) {
        this.channel = channel;
        this.path = path;
        this.ioMode = ioMode;
        this.blockSize = blockSize;
        this.blockCount = sizeBytes / blockSize;
    }

    static FileChannel openChannel(Path path, IoMode mode) throws IOException {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.READ);
        if (mode != IoMode.RO) {
            options.add(StandardOpenOption.WRITE);
        }
        if (mode == IoMode.WT) {
            options.add(StandardOpenOption.DSYNC);
        }
        FileChannel channel = FileChannel.open(path, options);
        PageCache.drop(path); // pages cached before the other server of a pair wrote the medium are stale
        return channel;
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
        return ioMode == IoMode.RO;
    }

    @Override
    public boolean writeCacheEnabled() {
        return ioMode == IoMode.WB;
    }

    @Override
    public void read(long offset, ByteBuf dst, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = dst.writeBytes(channel, offset + done, length - done);
            if (n < 0) {
                // A file shorter than its LUN (truncated under us): the missing tail reads as zeroes.
                dst.writeZero(length - done);
                return;
            }
            done += n;
        }
    }

    @Override
    public void write(long offset, ByteBuf src, boolean forceUnitAccess) throws IOException {
        long position = offset;
        for (ByteBuffer b : src.nioBuffers()) {
            while (b.hasRemaining()) {
                position += channel.write(b, position);
            }
        }
        if (forceUnitAccess && ioMode == IoMode.WB) {
            channel.force(false);
        }
    }

    @Override
    public long resize(long blocks) throws IOException {
        long bytes = newSize(blocks);
        requireSize(path, bytes, blockSize);
        blockCount = bytes / blockSize;
        return blockCount;
    }

    @Override
    public long mediumBlocks() throws IOException {
        return mediumBytes() / blockSize;
    }

    /** The backing file's or device's size now, in bytes. */
    abstract long mediumBytes() throws IOException;

    /** Makes the backing storage {@code blocks} long, or finds its size; returns it in bytes. */
    abstract long newSize(long blocks) throws IOException;

    final FileChannel channel() {
        return channel;
    }

    final Path path() {
        return path;
    }

    final IoMode ioMode() {
        return ioMode;
    }

    @Override
    public void flush() throws IOException {
        if (ioMode != IoMode.RO) {
            channel.force(false);
        }
    }

    @Override
    public String describe() {
        return kind() + " " + path + " (" + ioMode.name().toLowerCase() + ", " + blockCount + " x " + blockSize + ")";
    }

    abstract String kind();

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static void requireSize(Path path, long size, int blockSize) throws IOException {
        if (size < blockSize) {
            throw new EOFException(path + " is smaller than one block of " + blockSize + " bytes");
        }
    }
}
