package org.tandem.lun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.store.BlockStores;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opening a store drops the kernel's cached pages of its file: pages read before the other server of a pair wrote
 * the medium would otherwise be served stale. Residency is read with util-linux's fincore (mincore(2)).
 */
class PageCacheDropTest {
    @TempDir
    Path dir;

    /** Pages of {@code file} in the page cache, or -1 when fincore cannot tell (not installed, tmpfs...). */
    private static long cachedPages(Path file) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("fincore", "--noheadings", "--output", "PAGES", file.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            return -1;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.matches("\\d+")) {
            return -1;
        }
        return Long.parseLong(out);
    }

    @Test
    void openingAFileioStoreDropsTheFilesCachedPages() throws Exception {
        Path file = dir.resolve("cached.img");
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[1 << 20]).put(0, (byte) 1));
            c.force(true); // clean pages: the ones a server keeps after reading, which DONTNEED may drop
        }
        Files.readAllBytes(file);
        long before = cachedPages(file);
        assumeTrue(before > 0, "fincore cannot show this file's cached pages here");

        try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.FILEIO, file, IoMode.WT, 512, 0))) {
            assertThat(cachedPages(file)).as("cached pages after the open (%d before)", before).isZero();
            assertThat(s.blockCount()).isEqualTo(2048);
        }
    }
}
