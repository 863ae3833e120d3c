package org.tandem.lun.spi;

import io.netty.buffer.ByteBuf;

import java.io.IOException;

/**
 * A LUN's storage: an array of fixed-size blocks. Methods block and may be slow, so callers run them on an I/O
 * executor, never on a network event loop. Offsets and lengths are in bytes and already checked by the caller
 * against {@link #blockCount()} and {@link #blockSize()} (backends trust their callers). Thread-safe: distinct
 * ranges may be read and written concurrently.
 */
public interface BlockStore extends AutoCloseable {

    /** Logical block size in bytes (512, 1024, 2048 or 4096). */
    int blockSize();

    /** Number of logical blocks. */
    long blockCount();

    /** True when writes are refused (IOMode=ro or a read-only device). */
    boolean readOnly();

    /** True when a write cache holds writes until {@link #flush()} (IOMode=wb): the SCSI WCE bit. */
    boolean writeCacheEnabled();

    /** Reads {@code length} bytes at {@code offset} into {@code dst}, advancing its writer index. */
    void read(long offset, ByteBuf dst, int length) throws IOException;

    /**
     * Writes all readable bytes of {@code src} at {@code offset}, not moving its reader index. With
     * {@code forceUnitAccess} the data is on stable storage when this returns, even with a write cache.
     */
    void write(long offset, ByteBuf src, boolean forceUnitAccess) throws IOException;

    /**
     * Changes the capacity to {@code blocks} and returns the new block count. A file grows (sparse) or shrinks; a
     * block device cannot be resized from here, so it re-reads the device's size (after lvextend, say) and
     * {@code blocks} must be 0 ("take the device's size") or equal it. The caller keeps I/O away meanwhile.
     *
     * @throws IOException when the store cannot take that size; nothing changed then
     */
    long resize(long blocks) throws IOException;

    /**
     * The capacity the medium has now, in blocks, which may differ from {@link #blockCount()} when something else
     * changed it: the other server of a pair grew the shared file, or the DRBD device grew after lvextend and
     * drbdadm resize on both servers. By default (stores with no outside medium) the capacity presented.
     */
    default long mediumBlocks() throws IOException {
        return blockCount();
    }

    /** Makes every completed write durable (SYNCHRONIZE CACHE). */
    void flush() throws IOException;

    /** A short description for logs and the admin interface, e.g. "fileio /srv/disk0.img". */
    String describe();

    @Override
    void close() throws IOException;
}
