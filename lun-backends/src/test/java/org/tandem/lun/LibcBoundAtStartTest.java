package org.tandem.lun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.lun.file.PageCache;
import org.tandem.lun.store.DetachableStore;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster LUN's store binds libc (for the page-cache drop) when it is made at start, not when a takeover opens
 * it: the first binding in a JVM took 0.1-0.5 s, all of it outage during the takeover. Checked in a JVM of its own,
 * since the binding is once per JVM and other tests here open stores.
 */
class LibcBoundAtStartTest {
    @TempDir
    Path dir;

    /** Run in a fresh JVM: prints whether libc was bound before and after a detachable fileio store was made. */
    public static void main(String[] args) {
        boolean before = PageCache.bound();
        new DetachableStore(new StoreSpec(StoreType.FILEIO, Path.of(args[0]), IoMode.WT, 512, 0));
        System.out.println("before=" + before + " after=" + PageCache.bound());
    }

    @Test
    void aDetachableFileioStoreBindsLibcWhenItIsMadeNotWhenItOpens() throws Exception {
        Path absent = dir.resolve("drbd0"); // a Secondary's device: not there yet, and not opened by the store
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), LibcBoundAtStartTest.class.getName(), absent.toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).contains("before=false after=true");
        assertThat(Files.exists(absent)).isFalse();
    }
}
