package org.tandem.lun.store;

import io.netty.buffer.ByteBuf;
import org.tandem.lun.file.PageCache;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.io.IOException;
import java.util.Locale;

/**
 * A store that holds its file or device only between {@link #attach()} and {@link #detach()}: the LUN of a cluster
 * group. On the standby server the device is a DRBD Secondary, which refuses a write-open (EROFS) and cannot be
 * demoted while anyone holds it, and an LV on top of it does not even exist; so the store opens after the group's
 * promote and LVM activation, and closes after the drain and flush, before the demote.
 *
 * <p>Detached, it still answers what the configuration says (block size, read-only, write cache) so that INQUIRY
 * and its VPD pages do not change with the role; its capacity is the one last presented, and I/O fails with an
 * IOException (the unit answers NOT READY before any reaches it). The capacity presented to initiators only moves
 * through {@link #resize}, so a medium grown while the peer served it is noticed by {@code LogicalUnit.rescan()}
 * and announced with CAPACITY DATA HAS CHANGED.
 */
public final class DetachableStore implements BlockStore {
    private final StoreSpec spec;
    private volatile BlockStore open;
    private volatile int blockSize;
    /** What initiators were told; 0 until the first attach. */
    private volatile long presentedBlocks;

    public DetachableStore(StoreSpec spec) {
        this.spec = spec;
        this.blockSize = spec.blockSize() != 0 ? spec.blockSize() : 512;
        if (spec.type() == StoreType.FILEIO || spec.type() == StoreType.BLOCKIO) {
            PageCache.bind(); // now, not in the takeover that attaches this store (see PageCache)
        }
    }

    /** Opens the file or device (after promote); nothing happens when it is open already. */
    public synchronized void attach() throws IOException {
        if (open != null) {
            return;
        }
        BlockStore s = BlockStores.open(spec);
        if (presentedBlocks == 0) {
            presentedBlocks = s.blockCount();
        }
        blockSize = s.blockSize();
        open = s;
    }

    /** Closes the file or device (before demote) after flushing it; nothing happens when it is closed. */
    public synchronized void detach() throws IOException {
        BlockStore s = open;
        if (s == null) {
            return;
        }
        open = null;
        try {
            s.flush();
        } finally {
            s.close();
        }
    }

    public boolean attached() {
        return open != null;
    }

    private BlockStore opened() throws IOException {
        BlockStore s = open;
        if (s == null) {
            throw new IOException(describe() + " is not open: its cluster group is not served by this server");
        }
        return s;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public long blockCount() {
        return presentedBlocks;
    }

    @Override
    public boolean readOnly() {
        BlockStore s = open;
        return s != null ? s.readOnly() : spec.ioMode() == IoMode.RO;
    }

    @Override
    public boolean writeCacheEnabled() {
        BlockStore s = open;
        return s != null ? s.writeCacheEnabled() : spec.ioMode() == IoMode.WB;
    }

    @Override
    public void read(long offset, ByteBuf dst, int length) throws IOException {
        opened().read(offset, dst, length);
    }

    @Override
    public void write(long offset, ByteBuf src, boolean forceUnitAccess) throws IOException {
        opened().write(offset, src, forceUnitAccess);
    }

    @Override
    public long resize(long blocks) throws IOException {
        long after = opened().resize(blocks);
        presentedBlocks = after;
        return after;
    }

    @Override
    public long mediumBlocks() throws IOException {
        return opened().mediumBlocks();
    }

    /** Flushes when open; detached there is nothing this server could have cached. */
    @Override
    public void flush() throws IOException {
        BlockStore s = open;
        if (s != null) {
            s.flush();
        }
    }

    @Override
    public String describe() {
        BlockStore s = open;
        if (s != null) {
            return s.describe();
        }
        return spec.type().name().toLowerCase(Locale.ROOT) + (spec.path() == null ? "" : " " + spec.path())
                + " (closed until its cluster group starts here)";
    }

    @Override
    public void close() throws IOException {
        detach();
    }
}
