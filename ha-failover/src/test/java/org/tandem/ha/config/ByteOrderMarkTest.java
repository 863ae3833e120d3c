package org.tandem.ha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ha.cf, haresources and authkeys saved by an editor that puts a UTF-8 byte order mark first: the first line means
 * what it shows (the mark would otherwise glue itself to the first node name or directive), with one warning.
 */
class ByteOrderMarkTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, all, 0, BOM.length);
        System.arraycopy(body, 0, all, BOM.length, body.length);
        Files.write(f, all);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static String warning(Path f) {
        return f + ":1: the file starts with a UTF-8 byte order mark (an editor added it); Tandem skips it, Heartbeat"
                + " would have read it as part of the first word: save the file without it, e.g. sed -i"
                + " '1s/^\\xEF\\xBB\\xBF//' " + f;
    }

    @Test
    void eachFileIsReadPastAByteOrderMarkWithOneWarning() throws Exception {
        Path haCf = write("ha.cf", "node storage1 storage2\nfencing none\nbcast eth0\n");
        Path haresources = write("haresources", "storage1 iscsi-target::iqn.2026-11.x:db\n");
        Path authkeys = write("authkeys", "auth 1\n1 sha256 0123456789abcdef0123\n");
        try (CapturedLog log = new CapturedLog()) {
            HaConfig cluster = HaCfParser.read(haCf);
            assertThat(cluster.nodes()).containsExactly("storage1", "storage2");
            List<ResourceGroup> groups = HaResourcesParser.read(haresources, cluster, ThisNode.UNKNOWN);
            assertThat(groups.get(0).preferredNode()).isEqualTo("storage1");
            assertThat(AuthKeys.read(authkeys).active().index()).isEqualTo(1);
            assertThat(log.warnings()).containsExactly(warning(haCf), warning(haresources), warning(authkeys));
        }
    }

    @Test
    void aFileWithoutOneGivesNoWarningAndAMarkElsewhereIsNotSkipped() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            HaCfParser.parse(dir.resolve("ha.cf"), List.of("node storage1 storage2", "fencing none", "bcast eth0"));
            assertThat(log.warnings()).isEmpty();
        }
        // Only the start of the file is an editor's mark; inside a line it is a character like any other.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HaCfParser.parse(dir.resolve("ha.cf"),
                List.of("fencing none", "\uFEFFnode storage1 storage2", "bcast eth0")))
                .hasMessageStartingWith(dir.resolve("ha.cf") + ":2: unknown directive");
    }
}
