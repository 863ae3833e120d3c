package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.CapturedLog;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files saved by Windows editors start with a UTF-8 byte order mark: every file target-server reads is read past
 * it, with one warning naming the file, where IET took it as part of the first word (an unknown directive in
 * ietd.conf; in an access file, a first rule for no target, silently dropped).
 */
class ByteOrderMarkTest {
    private static final byte[] BOM = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    private static final String VM1 = "iqn.2026-11.org.example:vm1";
    private static final String VM2 = "iqn.2026-11.org.example:vm2";

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[BOM.length + body.length];
        System.arraycopy(BOM, 0, all, 0, BOM.length);
        System.arraycopy(body, 0, all, BOM.length, body.length);
        return Files.write(dir.resolve(name), all);
    }

    private Path ietdConf() throws Exception {
        return write("ietd.conf", "Target " + VM1 + "\n    Lun 0 Type=nullio\nTarget " + VM2
                + "\n    Lun 0 Type=nullio\n");
    }

    @Test
    void ietdConfIsReadPastTheMarkWithAWarning() throws Exception {
        Path conf = ietdConf();
        try (CapturedLog log = new CapturedLog(ConfigText.class)) {
            TandemConfig c = IetdConfParser.read(conf);
            assertThat(c.targets()).extracting(TargetConfig::name).containsExactly(VM1, VM2);
            assertThat(log.warnings()).singleElement().asString().startsWith(conf + ":1: the file starts with a"
                    + " UTF-8 byte order mark").contains("save the file as UTF-8 without BOM");
        }
    }

    @Test
    void theRestrictionOnTheFirstLineOfInitiatorsAllowHolds() throws Exception {
        Path conf = ietdConf();
        Path allow = write("initiators.allow", VM2 + " 10.9.9.2\nALL ALL\n");
        try (CapturedLog log = new CapturedLog(ConfigText.class)) {
            TandemConfig c = IetdConfParser.read(conf);
            InitiatorAccess access = c.initiatorAccess();
            assertThat(access.allows(VM2, InetAddress.getByName("10.9.9.2"), "iqn.x:a")).isTrue();
            assertThat(access.allows(VM2, InetAddress.getByName("10.9.9.3"), "iqn.x:b")).isFalse();
            assertThat(access.allows(VM1, InetAddress.getByName("10.9.9.3"), "iqn.x:b")).isTrue();
            String warning = ":1: the file starts with a UTF-8 byte order mark (an invisible character some Windows"
                    + " editors write); read past it. IET took it as part of the first word of line 1; save the file"
                    + " as UTF-8 without BOM";
            assertThat(log.warnings()).containsExactly(conf + warning, allow + warning);
        }
    }

    @Test
    void targetsAllowAndInitiatorsDenyAreReadPastItToo() throws Exception {
        Path conf = ietdConf();
        Path portals = write("targets.allow", VM2 + " 10.0.0.1\nALL ALL\n");
        Path deny = write("initiators.deny", VM2 + " 10.9.9.0/24\n");
        try (CapturedLog log = new CapturedLog(ConfigText.class)) {
            TandemConfig c = IetdConfParser.read(conf);
            assertThat(c.targetsAllow().allows(VM2, InetAddress.getByName("10.0.0.2"), null)).isFalse();
            assertThat(c.initiatorAccess().allows(VM2, InetAddress.getByName("10.9.9.3"), "iqn.x:b")).isFalse();
            assertThat(log.warnings()).anyMatch(w -> w.startsWith(portals + ":1: the file starts with a UTF-8 byte"))
                    .anyMatch(w -> w.startsWith(deny + ":1: the file starts with a UTF-8 byte"));
        }
    }

    @Test
    void writingBackDropsTheMarkAndKeepsTheFirstTarget() throws Exception {
        Path conf = ietdConf();
        TandemConfig c = IetdConfParser.read(conf);
        List<String> onDisk = Files.readAllLines(conf, StandardCharsets.UTF_8);
        String written = IetdConfWriter.render(onDisk, c);
        assertThat(written).doesNotContain("\uFEFF").startsWith("Target " + VM1 + "\n");
        assertThat(written.split("Target " + VM1, -1)).hasSize(2); // not appended a second time

        Path allow = write("initiators.allow", VM2 + " 10.9.9.2\nALL ALL\n");
        AccessRules rules = AccessRules.read(allow);
        assertThat(rules.render(Files.readAllLines(allow, StandardCharsets.UTF_8)))
                .isEqualTo(VM2 + " 10.9.9.2\nALL ALL\n");
    }

    @Test
    void aMarkInsideTheFileIsShownInTheRefusal() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + VM1 + "\n    Lun 0 Type=nullio\n\uFEFFTarget " + VM2 + "\n");
        assertThatThrownBy(() -> IetdConfParser.read(conf)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf + ":3: unknown directive '\\uFEFFTarget'")
                .hasMessageContaining("check the spelling or remove the line");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithTheFix() throws Exception {
        Path conf = Files.write(dir.resolve("ietd.conf"), new byte[]{(byte) 0xff, (byte) 0xfe, 'T', 0});
        assertThatThrownBy(() -> IetdConfParser.read(conf)).isInstanceOf(ConfigException.class)
                .hasMessage("cannot read " + conf + ": it is not UTF-8 text (perhaps saved as UTF-16 or Latin-1 by"
                        + " an editor): save it as UTF-8");
    }
}
