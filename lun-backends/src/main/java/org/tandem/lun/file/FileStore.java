package org.tandem.lun.file;

import org.tandem.lun.spi.IoMode;

import java.io.RandomAccessFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** IET's Type=fileio: a regular file, sparse or not. The LUN's size is the file's size, rounded down to blocks. */
public final class FileStore extends ChannelStore {

    private FileStore(FileChannel channel, Path path, IoMode mode, int blockSize, long size) {
        super(channel, path, mode, blockSize, size);
    }

    public static FileStore open(Path path, IoMode mode, int blockSize) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "fileio LUN file does not exist");
        }
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " is not a regular file (use Type=blockio for block devices)");
        }
        FileChannel channel = openChannel(path, mode);
        long size = channel.size();
        try {
            requireSize(path, size, blockSize);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new FileStore(channel, path, mode, blockSize, size);
    }

    @Override
    long mediumBytes() throws IOException {
        return channel().size();
    }

    @Override
    long newSize(long blocks) throws IOException {
        if (ioMode() == IoMode.RO) {
            throw new IOException(path() + " is read-only (IOMode=ro)");
        }
        if (blocks <= 0) {
            throw new IOException("a fileio LUN needs a size of at least one block");
        }
        long bytes = Math.multiplyExact(blocks, (long) blockSize());
        long old = channel().size();
        if (bytes < old) {
            channel().truncate(bytes);
        } else if (bytes > old) {
            // RandomAccessFile.setLength extends sparsely (ftruncate); FileChannel cannot grow a file.
            try (RandomAccessFile raf = new RandomAccessFile(path().toFile(), "rw")) {
                raf.setLength(bytes);
            }
        }
        return bytes;
    }

    @Override
    String kind() {
        return "fileio";
    }
}
