package org.tandem.lun.spi;

import java.nio.file.Path;

/**
 * What a LUN's storage is: type, path (null for nullio and memory), I/O mode, block size (0 = the backend's
 * natural size) and, for stores without a path, the number of blocks.
 */
public record StoreSpec(StoreType type, Path path, IoMode ioMode, int blockSize, long blocks) {
    /** A nullio LUN without Blocks=: 64 GiB, IET's 2^27 sectors of 512 bytes (kernel/null-io.c). */
    public static final long NULLIO_DEFAULT_BYTES = 1L << 36;
}
