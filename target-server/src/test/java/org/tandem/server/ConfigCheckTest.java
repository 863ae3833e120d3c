package org.tandem.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** tandemd --check reads what start-up reads, says what it understood or why not, and starts nothing. */
class ConfigCheckTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void acceptedFilesAreDescribedAndNothingStarts() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target iqn.2026-11.org.example:a   # the only one\n  Lun 0 Type=nullio,Blocks=2048\n"
                + "  Lun 1 Path=disk.img,Type=fileio\n");
        Files.write(dir.resolve("disk.img"), new byte[4096]);
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        assertThat(ConfigCheck.run(conf, null, null, out)).isEqualTo(ConfigCheck.ACCEPTED);
        assertThat(output()).contains(conf + ": 1 target(s), 2 LUN(s); initiators.allow absent, initiators.deny in"
                + " force, targets.allow absent").contains("    LUN 1 fileio " + dir.resolve("disk.img"))
                .endsWith("accepted; nothing was started (no LUN opened, no port bound, no heartbeat sent, nobody"
                        + " fenced)\n");
    }

    @Test
    void aRefusedLineIsReportedAsStartUpWouldReportIt() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target iqn.2026-11.org.example:a\n  initiator-address 10.0.0.5\n");
        assertThat(ConfigCheck.run(conf, null, null, out)).isEqualTo(ConfigCheck.REFUSED);
        assertThat(output()).startsWith("refused: " + conf + ":2: 'initiator-address' is tgt's targets.conf syntax");
    }

    @Test
    void aMissingPathOfAnUngroupedLunIsRefused() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target iqn.2026-11.org.example:a\n  Lun 0 Path=missing.img,Type=fileio\n");
        assertThat(ConfigCheck.run(conf, null, null, out)).isEqualTo(ConfigCheck.REFUSED);
        assertThat(output()).contains("LUN 0 fileio " + dir.resolve("missing.img") + ": does not exist, so the daemon"
                + " would not start: create it or correct Path=").endsWith("refused: a LUN's path is missing (above)\n");
    }

    /** The cluster files too, with a grouped LUN whose device exists only where its group runs. */
    @Test
    void clusterFilesAreCheckedAgainstThisNodeAndIetdConf() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target iqn.2026-11.org.example:db\n  Lun 0 Path=/dev/drbd9,Type=blockio\n");
        Path ha = Files.createDirectory(dir.resolve("ha.d"));
        Files.writeString(ha.resolve("ha.cf"), "node alpha, beta\nbcast eth1\nfencing none\n");
        Path keys = ha.resolve("authkeys");
        Files.writeString(keys, "auth 1\n1 sha256 0123456789abcdef0123\n");
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(ha.resolve("haresources"), "alpha drbddisk::r0 IPaddr::10.9.0.100/24/eth0 iscsitarget\n");
        assertThat(ConfigCheck.run(conf, ha, "alpha", out)).as(output()).isEqualTo(ConfigCheck.ACCEPTED);
        assertThat(output()).contains(ha + ": node alpha, peer beta; 1 link(s) [bcast eth1]")
                .contains("  group group1 preferred alpha: DRBD [r0], LVM [], targets [iqn.2026-11.org.example:db],"
                        + " addresses [10.9.0.100/24 on eth0]")
                .contains("LUN 0 blockio /dev/drbd9: not there now; it must be once this node runs the group");
        bytes.reset();
        assertThat(ConfigCheck.run(conf, ha, "gamma", out)).isEqualTo(ConfigCheck.REFUSED);
        assertThat(output()).contains("\nrefused: " + ha.resolve("ha.cf") + ": this node is 'gamma'");
    }
}
