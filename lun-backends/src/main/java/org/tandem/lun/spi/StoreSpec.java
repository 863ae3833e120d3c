package org.tandem.lun.spi;

import java.nio.file.Path;

/**
 * What a LUN's storage is: type, path (null for nullio and memory), I/O mode, block size (0 = the backend's
 * natural size) and, for stores without a path, the number of blocks.
 */
public record StoreSpec(StoreType type, Path path, IoMode ioMode, int blockSize, long blocks) {
    public static final long NULLIO_DEFAULT_BYTES = 64L * 1000 * 1000 * 1000;
}
