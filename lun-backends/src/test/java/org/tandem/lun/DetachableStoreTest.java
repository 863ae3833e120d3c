package org.tandem.lun;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.lun.store.DetachableStore;
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

/** The store of a cluster group's LUN: open only between attach (after promote) and detach (before demote). */
class DetachableStoreTest {
    @TempDir
    Path dir;

    private Path file(String name, int size) throws IOException {
        return Files.write(dir.resolve(name), new byte[size]);
    }

    private static byte[] read(DetachableStore s, long offset, int length) throws IOException {
        ByteBuf b = Unpooled.buffer(length);
        try {
            s.read(offset, b, length);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void nothingIsOpenedBeforeAttachSoAMissingDeviceIsNoError() throws IOException {
        // On the standby an LV on DRBD does not exist: making the store must not touch the path.
        Path absent = dir.resolve("lv0");
        DetachableStore s = new DetachableStore(new StoreSpec(StoreType.BLOCKIO, absent, IoMode.WT, 4096, 0));

        assertThat(s.attached()).isFalse();
        assertThat(s.blockSize()).as("from the configuration").isEqualTo(4096);
        assertThat(s.readOnly()).isFalse();
        assertThat(s.writeCacheEnabled()).isFalse();
        assertThat(s.describe()).isEqualTo("blockio " + absent + " (closed until its cluster group starts here)");
        assertThatThrownBy(() -> read(s, 0, 512)).isInstanceOf(IOException.class)
                .hasMessage("blockio " + absent + " (closed until its cluster group starts here) is not open: its"
                        + " cluster group is not served by this server");
        assertThatThrownBy(s::attach).isInstanceOf(IOException.class);
        assertThat(s.attached()).as("a failed attach leaves it closed").isFalse();
        s.flush(); // nothing to flush while closed: must not fail the release of a group
        s.close();
    }

    @Test
    void attachOpensDetachClosesAndTheDataIsThereAgainAfterwards() throws IOException {
        Path p = file("lun.img", 1 << 20);
        DetachableStore s = new DetachableStore(new StoreSpec(StoreType.FILEIO, p, IoMode.WT, 0, 0));

        s.attach();
        assertThat(s.attached()).isTrue();
        assertThat(s.blockCount()).isEqualTo(2048);
        s.write(4096, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}), false);
        s.detach();
        assertThat(s.attached()).isFalse();
        assertThat(s.blockCount()).as("what initiators were told stays").isEqualTo(2048);
        assertThatThrownBy(() -> read(s, 4096, 4)).isInstanceOf(IOException.class);

        s.attach();
        assertThat(read(s, 4096, 4)).containsExactly(1, 2, 3, 4);
        s.close();
        assertThat(s.attached()).isFalse();
    }

    @Test
    void aMediumGrownWhileDetachedIsPresentedOnlyThroughResize() throws IOException {
        Path p = file("grow.img", 1 << 20);
        DetachableStore s = new DetachableStore(new StoreSpec(StoreType.FILEIO, p, IoMode.WT, 0, 0));
        s.attach();
        s.detach();
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(2 << 20); // the peer grew it while it served the group
        }

        s.attach();

        // LogicalUnit.rescan compares these two and resizes, which announces CAPACITY DATA HAS CHANGED.
        assertThat(s.blockCount()).isEqualTo(2048);
        assertThat(s.mediumBlocks()).isEqualTo(4096);
        assertThat(s.resize(4096)).isEqualTo(4096);
        assertThat(s.blockCount()).isEqualTo(4096);
        s.close();
    }

    @Test
    void theWriteCacheBitFollowsTheIoModeOpenOrClosed() throws IOException {
        Path p = file("wce.img", 1 << 20);
        for (IoMode mode : IoMode.values()) {
            DetachableStore s = new DetachableStore(new StoreSpec(StoreType.FILEIO, p, mode, 0, 0));
            boolean closedWce = s.writeCacheEnabled();
            boolean closedRo = s.readOnly();
            s.attach();
            assertThat(closedWce).as("WCE of %s, closed and open", mode).isEqualTo(s.writeCacheEnabled())
                    .isEqualTo(mode == IoMode.WB);
            assertThat(closedRo).as("read-only of %s, closed and open", mode).isEqualTo(s.readOnly())
                    .isEqualTo(mode == IoMode.RO);
            s.close();
        }
    }

    @Test
    void aMissingFileNamesItself() {
        Path absent = dir.resolve("gone.img");
        DetachableStore s = new DetachableStore(new StoreSpec(StoreType.FILEIO, absent, IoMode.WT, 0, 0));
        assertThatThrownBy(s::attach).isInstanceOf(NoSuchFileException.class).hasMessageContaining(absent.toString());
    }
}
