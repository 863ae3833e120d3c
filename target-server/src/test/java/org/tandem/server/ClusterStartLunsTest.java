package org.tandem.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.lun.store.DetachableStore;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A daemon started with --ha: a grouped LUN's device is not opened at start (the standby's DRBD device refuses it,
 * an LV on it does not exist there), and IOMode=wb on a grouped LUN is refused, since a power-off of this server
 * erases writes it acknowledged from its page cache.
 */
class ClusterStartLunsTest {
    private static final String DB = "iqn.2026-11.org.tandem.test:db";

    @TempDir
    Path dir;

    /** A pair whose group the peer (storage2) prefers; this node is storage1. */
    private Path haDir() throws Exception {
        return HaDirectory.write(dir, 30, "storage2 iscsi-target::" + DB);
    }

    private Path conf(String ioMode) throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + DB + "\n Lun 0 Path=missing-lv,Type=blockio,IOMode=" + ioMode + "\n");
        return conf;
    }

    @Test
    void theStandbyStartsWithoutItsGroupedDevice() throws Exception {
        Path ha = haDir();
        Tandemd daemon = Tandemd.start(IetdConfParser.read(conf("wt")),
                List.of(new InetSocketAddress("127.0.0.1", 0)), null, new Tandemd.HaOptions(ha, "storage1"));
        try {
            var unit = daemon.control().catalog().target(DB).lun(0);
            assertThat(unit.store()).isInstanceOf(DetachableStore.class);
            assertThat(((DetachableStore) unit.store()).attached()).isFalse();
            assertThat(unit.online()).isFalse();
        } finally {
            daemon.close();
        }
    }

    @Test
    void writeBackOnAGroupedLunIsRefusedAtStartNamingTheLineAndTheFix() throws Exception {
        Path ha = haDir();
        Path conf = conf("wb");
        String expected = conf + ":2: target " + DB + " LUN 0 belongs to cluster group group1 and has IOMode=wb,"
                + " which acknowledges writes from this server's page cache that a power-off erases before the peer"
                + " has them: set IOMode=wt on that Lun line (the initiator's own write cache and SYNCHRONIZE CACHE"
                + " stay correct)";

        assertThatThrownBy(() -> Tandemd.start(IetdConfParser.read(conf),
                List.of(new InetSocketAddress("127.0.0.1", 0)), null, new Tandemd.HaOptions(ha, "storage1")))
                .isInstanceOf(ConfigException.class).hasMessage(expected);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertThat(ConfigCheck.run(conf, ha, "storage1", out)).isEqualTo(ConfigCheck.REFUSED);
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("refused: " + expected);
    }

    @Test
    void writeBackWithoutAClusterStaysAllowed() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Path img = dir.resolve("local.img");
        Files.write(img, new byte[1 << 16]);
        Files.writeString(conf, "Target " + DB + "\n Lun 0 Path=local.img,Type=fileio,IOMode=wb\n");
        Tandemd daemon = Tandemd.start(IetdConfParser.read(conf), List.of(new InetSocketAddress("127.0.0.1", 0)));
        try {
            assertThat(daemon.control().catalog().target(DB).lun(0).store().writeCacheEnabled()).isTrue();
        } finally {
            daemon.close();
        }
    }
}
