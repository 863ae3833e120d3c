package org.tandem.lun.file;

import org.tandem.lun.spi.IoMode;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * IET's Type=blockio: a block device such as an LVM logical volume. Its size and logical sector size come from
 * sysfs ({@code /sys/dev/block/MAJOR:MINOR}), since fstat reports no size for a device. A LUN's block size may
 * be larger than the device's sector size, never smaller.
 */
public final class BlockDeviceStore extends ChannelStore {

    private BlockDeviceStore(FileChannel channel, Path path, IoMode mode, int blockSize, long size) {
        super(channel, path, mode, blockSize, size);
    }

    public static BlockDeviceStore open(Path path, IoMode mode, int requestedBlockSize) throws IOException {
        Object rdev = Files.getAttribute(path, "unix:rdev");
        Object isBlock = Files.getAttribute(path, "unix:mode");
        if (!(rdev instanceof Long dev) || !(isBlock instanceof Integer m) || (m & 0170000) != 0060000) {
            throw new IOException(path + " is not a block device (use Type=fileio for regular files)");
        }
        Path sys = sysfs(dev);
        long size = deviceBytes(sys);
        int sectorSize = 512;
        Path lbs = sys.resolve("queue/logical_block_size");
        if (Files.exists(lbs)) {
            sectorSize = Integer.parseInt(Files.readString(lbs).trim());
        }
        int blockSize = requestedBlockSize == 0 ? sectorSize : requestedBlockSize;
        if (blockSize < sectorSize) {
            throw new IOException("BlockSize " + blockSize + " is below " + path + "'s sector size " + sectorSize);
        }
        FileChannel channel = openChannel(path, mode);
        requireSize(path, size, blockSize);
        return new BlockDeviceStore(channel, path, mode, blockSize, size);
    }

    private static Path sysfs(long dev) {
        return Path.of("/sys/dev/block", major(dev) + ":" + minor(dev));
    }

    private static long deviceBytes(Path sys) throws IOException {
        return Long.parseLong(Files.readString(sys.resolve("size")).trim()) * 512;
    }

    @Override
    long mediumBytes() throws IOException {
        return deviceBytes(sysfs((Long) Files.getAttribute(path(), "unix:rdev")));
    }

    @Override
    long newSize(long blocks) throws IOException {
        long bytes = mediumBytes();
        long deviceBlocks = bytes / blockSize();
        if (blocks != 0 && blocks != deviceBlocks) {
            throw new IOException(path() + " has " + deviceBlocks + " blocks of " + blockSize()
                    + " bytes; resize the device itself (lvresize) and then rescan, a blockio LUN cannot change it");
        }
        return bytes;
    }

    // Linux's encoding of dev_t (glibc's gnu_dev_major / gnu_dev_minor).
    static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    @Override
    String kind() {
        return "blockio";
    }
}
