package org.tandem.lun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.store.BlockStores;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileStoreTest {
    @TempDir
    Path dir;

    private Path sparse(String name, long size) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    private static byte[] read(BlockStore s, long offset, int length) throws IOException {
        ByteBuf b = Unpooled.buffer(length);
        s.read(offset, b, length);
        byte[] out = ByteBufUtil.getBytes(b);
        b.release();
        return out;
    }

    @Test
    void sparseFileBecomesALunOfItsSizeAndKeepsWrites() throws Exception {
        Path p = sparse("a.img", 10 * 4096 + 100);
        for (IoMode mode : new IoMode[] {IoMode.WT, IoMode.WB}) {
            try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.FILEIO, p, mode, 4096, 0))) {
                assertThat(s.blockCount()).isEqualTo(10);            // the partial block at the end is not used
                assertThat(s.writeCacheEnabled()).isEqualTo(mode == IoMode.WB);
                CompositeByteBuf gathered = Unpooled.compositeBuffer();
                gathered.addComponent(true, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
                gathered.addComponent(true, Unpooled.wrappedBuffer(new byte[] {4, 5}));
                s.write(8192, gathered, true);
                gathered.release();
                s.flush();
                assertThat(read(s, 8192, 5)).containsExactly(1, 2, 3, 4, 5);
                assertThat(read(s, 0, 4)).containsExactly(0, 0, 0, 0);
            }
        }
        byte[] onDisk = Files.readAllBytes(p);
        assertThat(onDisk[8192 + 4]).isEqualTo((byte) 5);
    }

    @Test
    void readOnlyStoresSayTheyAre() throws Exception {
        Path p = sparse("ro.img", 1 << 20);
        try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.FILEIO, p, IoMode.RO, 0, 0))) {
            assertThat(s.readOnly()).isTrue();
            assertThat(s.blockSize()).isEqualTo(512);
        }
    }

    @Test
    void aFileTruncatedUnderTheLunReadsZeroesBeyondItsEnd() throws Exception {
        Path p = sparse("t.img", 4096);
        try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.FILEIO, p, IoMode.WB, 512, 0));
             RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(1024);
            assertThat(read(s, 2048, 512)).containsOnly(0);
        }
    }

    @Test
    void clearErrorsForMissingFilesDevicesAndTinyFiles() throws Exception {
        assertThatThrownBy(() -> BlockStores.open(new StoreSpec(StoreType.FILEIO, dir.resolve("none.img"),
                IoMode.WT, 512, 0))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> BlockStores.open(new StoreSpec(StoreType.FILEIO, dir, IoMode.WT, 512, 0)))
                .hasMessageContaining("not a regular file");
        Path p = sparse("b.img", 4096);
        assertThatThrownBy(() -> BlockStores.open(new StoreSpec(StoreType.BLOCKIO, p, IoMode.WT, 0, 0)))
                .hasMessageContaining("is not a block device");
        Path tiny = sparse("tiny.img", 100);
        assertThatThrownBy(() -> BlockStores.open(new StoreSpec(StoreType.FILEIO, tiny, IoMode.WT, 512, 0)))
                .hasMessageContaining("smaller than one block");
    }

    @Test
    void nullStoreReadsZeroesAndDiscardsWrites() throws Exception {
        try (BlockStore s = BlockStores.open(new StoreSpec(StoreType.NULLIO, null, IoMode.WT, 0, 100))) {
            s.write(0, Unpooled.wrappedBuffer(new byte[] {9, 9}), false);
            assertThat(read(s, 0, 2)).containsExactly(0, 0);
            assertThat(s.blockCount()).isEqualTo(100);
        }
    }
}
