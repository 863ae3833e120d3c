package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Type=blockio on a real block device: a loop device standing in for an LVM logical volume. */
class BlockioE2ETest {
    @TempDir
    Path dir;

    @Test
    void aLoopDeviceServesAsABlockioLun() throws Exception {
        assumeTrue(Tools.has("losetup") && Tools.has("qemu-io"), "losetup or qemu-io missing: skipping blockio test");
        Path backing = dir.resolve("lv.img");
        try (RandomAccessFile raf = new RandomAccessFile(backing.toFile(), "rw")) {
            raf.setLength(48L << 20);
        }
        Tools.Result loop = Tools.run(20, "losetup", "-f", "--show", backing.toString());
        assumeTrue(loop.ok(), "this machine does not allow loop devices (" + loop.output().strip()
                + "): skipping blockio test");
        String device = loop.output().strip();
        try (TargetFixture t = TargetFixture.start(dir, "Target " + TargetFixture.TARGET + "\n    Lun 0 Path="
                + device + ",Type=blockio,IOMode=wt\n")) {
            Tools.Result w = Tools.run(60, "qemu-io", "-f", "raw", "-c", "write -P 0x3c 40M 2M",
                    "-c", "read -P 0x3c 40M 2M", t.url(0));
            assertThat(w.ok() && !w.output().contains("Pattern verification failed")).as(w.output()).isTrue();
            if (Tools.has("iscsi-ls")) {
                assertThat(Tools.run(20, "iscsi-ls", "-s", t.portal()).output()).contains("Size:47M");
            }
        } finally {
            Tools.run(20, "losetup", "-d", device);
        }
        byte[] onDisk = new byte[16];
        try (RandomAccessFile raf = new RandomAccessFile(backing.toFile(), "r")) {
            raf.seek(40L << 20);
            raf.readFully(onDisk);
        }
        for (byte b : onDisk) {
            assertThat(b).isEqualTo((byte) 0x3c); // the write went through the device to its backing file
        }
    }
}
