package org.tandem.lun.store;

import org.tandem.lun.file.BlockDeviceStore;
import org.tandem.lun.file.FileStore;
import org.tandem.lun.memory.MemoryStore;
import org.tandem.lun.memory.NullStore;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;

import java.io.IOException;

/** Opens the backend a {@link StoreSpec} describes. */
public final class BlockStores {
    private BlockStores() {
    }

    public static BlockStore open(StoreSpec spec) throws IOException {
        int blockSize = spec.blockSize();
        return switch (spec.type()) {
            case FILEIO -> FileStore.open(spec.path(), spec.ioMode(), blockSize == 0 ? 512 : blockSize);
            case BLOCKIO -> BlockDeviceStore.open(spec.path(), spec.ioMode(), blockSize);
            case NULLIO -> new NullStore(blockSize == 0 ? 512 : blockSize, spec.blocks() > 0 ? spec.blocks()
                    : StoreSpec.NULLIO_DEFAULT_BYTES / (blockSize == 0 ? 512 : blockSize), spec.ioMode() == IoMode.RO);
            case MEMORY -> new MemoryStore(blockSize == 0 ? 512 : blockSize, spec.blocks(), spec.ioMode() == IoMode.RO);
        };
    }
}
