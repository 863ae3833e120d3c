package org.tandem.lun;

import org.junit.jupiter.api.Test;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.store.BlockStores;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import static org.assertj.core.api.Assertions.assertThat;

/** A nullio LUN without Blocks= is as large as IET made it: 2^27 sectors of 512 bytes (kernel/null-io.c), 64 GiB. */
class NullioDefaultSizeTest {
    @Test
    void withoutBlocksANullioLunHoldsSixtyFourGibibytes() throws Exception {
        try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.NULLIO, null, IoMode.WT, 0, 0))) {
            assertThat(s.blockSize()).isEqualTo(512);
            assertThat(s.blockCount()).isEqualTo(1L << 27);
        }
        try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.NULLIO, null, IoMode.WT, 4096, 0))) {
            assertThat(s.blockCount() * s.blockSize()).isEqualTo(64L << 30);
        }
    }
}
