package org.tandem.lun.file;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;

/**
 * Drops this kernel's clean cached pages of a file or block device when a store opens it. A server of a pair may
 * hold pages it read while it served the LUN before; the peer has written the device since (DRBD writes what it
 * receives below the device's page cache), so those pages are stale, and served from cache they would hand an
 * initiator old data. posix_fadvise(POSIX_FADV_DONTNEED) on the whole file drops them, for a regular file (fileio)
 * and a block device (blockio) alike, without the root privilege BLKFLSBUF needs. O_DIRECT would avoid the cache
 * altogether but needs block-aligned buffers for every transfer and is refused by tmpfs; one drop per open is
 * enough, since nothing else writes the device while this server holds it.
 *
 * <p>Binding libc is slow the first time in a JVM: JNA unpacks and loads its native library, then builds each call
 * on its first use (0.1-0.5 s measured on a busy 2-core host). A LUN of a cluster group opens during a takeover,
 * where that time is an outage, so such a store binds at start ({@link #bind()}) and the takeover finds it done.
 */
public final class PageCache {
    private static final Logger LOG = LogManager.getLogger(PageCache.class);
    private static final int O_RDONLY = 0;
    private static final int POSIX_FADV_DONTNEED = 4;
    private static final String NOTHING_CACHED = "/dev/null";

    /** The few libc calls needed, bound through JNA (Java 17 has no stable foreign-function interface). */
    interface LibC extends Library {
        int open(String path, int flags);

        int posix_fadvise(int fd, long offset, long length, int advice);

        int close(int fd);
    }

    private static volatile LibC libc;
    private static volatile boolean unavailable;
    private static volatile boolean warmed;

    private PageCache() {
    }

    /**
     * Drops the cached pages of {@code path}. A failure is logged, not thrown: the store still works, and the log
     * says what it risks.
     */
    static void drop(Path path) {
        LibC c = libc();
        if (c == null) {
            return;
        }
        long start = System.nanoTime();
        int fd = c.open(path.toString(), O_RDONLY);
        if (fd < 0) {
            LOG.warn("cannot open {} to drop its cached pages (errno {}): data cached before the peer served it"
                    + " may be read back", path, Native.getLastError());
            return;
        }
        try {
            int error = c.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            if (error != 0) {
                LOG.warn("posix_fadvise(DONTNEED) on {} failed (errno {}): data cached before the peer served it"
                        + " may be read back", path, error);
            }
        } finally {
            c.close(fd);
        }
        LOG.debug("dropped the cached pages of {} in {} us", path, (System.nanoTime() - start) / 1000);
    }

    /**
     * Binds libc and makes each of its calls once, on /dev/null (which has no cached pages to drop), so that a
     * later {@link #drop} costs only the system calls. Idempotent and cheap after the first time; a libc that
     * cannot be bound is logged here, at start, rather than at the first open.
     */
    public static void bind() {
        LibC c = libc();
        if (c == null || warmed) {
            return;
        }
        long start = System.nanoTime();
        int fd = c.open(NOTHING_CACHED, O_RDONLY);
        if (fd >= 0) {
            c.posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
            c.close(fd);
        }
        warmed = true;
        LOG.debug("libc's open, posix_fadvise and close bound in {} ms", (System.nanoTime() - start) / 1_000_000);
    }

    /** Whether {@link #bind()} has run in this JVM (and libc could be bound). */
    public static boolean bound() {
        return warmed;
    }

    private static LibC libc() {
        if (libc != null || unavailable) {
            return libc;
        }
        synchronized (PageCache.class) {
            if (libc == null && !unavailable) {
                long start = System.nanoTime();
                try {
                    if (!Platform.isLinux()) {
                        throw new UnsupportedOperationException("not Linux");
                    }
                    libc = Native.load("c", LibC.class);
                    LOG.debug("libc bound through JNA in {} ms", (System.nanoTime() - start) / 1_000_000);
                } catch (UnsupportedOperationException | LinkageError e) {
                    unavailable = true;
                    LOG.warn("cannot bind libc's posix_fadvise ({}): a LUN's cached pages are not dropped when it"
                            + " opens, so a cluster node could read back data cached before its peer served", e
                            .toString());
                }
            }
            return libc;
        }
    }
}
