package org.tandem.target.config;

import org.junit.jupiter.api.Test;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreType;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IetdConfParserTest {
    private static final Path FILE = Path.of("/etc/iet/ietd.conf");

    private static TandemConfig parse(String text) throws ConfigException {
        return IetdConfParser.parse(FILE, text);
    }

    @Test
    void readsTheFormatAsIetDoes() throws Exception {
        TandemConfig c = parse("""
                # global section
                IncomingUser disco secretsecret12
                OutgoingUser tgtuser tgtsecret1234
                Target iqn.2026-11.org.example:disk1
                    # comments may be indented
                    IncomingUser joe joesecret12345
                    Lun 0 Path=/dev/vg0/lv0,Type=blockio,ScsiId=vm0,ScsiSN=SN0001,IOMode=wb
                    Lun 1 Path=disk.img,Type=fileio,BlockSize=4096
                    Lun 2 Type=nullio,Blocks=1000
                    Alias Virtual disks
                    maxconnections 1
                    InitialR2T No
                    MaxRecvDataSegmentLength 0x10000
                    HeaderDigest CRC32C,None
                Target iqn.2026-11.org.example:disk2
                    Lun 0 Path=/srv/a.img,\\
                Type=fileio
                """);
        assertThat(c.discoveryIncoming()).extracting(ChapAccount::name).containsExactly("disco");
        assertThat(c.discoveryOutgoing().name()).isEqualTo("tgtuser");
        TargetConfig t = c.target("iqn.2026-11.org.example:disk1");
        assertThat(t.alias()).isEqualTo("Virtual disks");
        assertThat(t.incoming()).hasSize(1);
        assertThat(t.luns()).hasSize(3);
        assertThat(t.luns().get(0).store().type()).isEqualTo(StoreType.BLOCKIO);
        assertThat(t.luns().get(0).store().ioMode()).isEqualTo(IoMode.WB);
        assertThat(t.luns().get(0).scsiSn()).isEqualTo("SN0001");
        assertThat(t.luns().get(1).store().path()).isEqualTo(Path.of("/etc/iet/disk.img"));
        assertThat(t.luns().get(1).store().blockSize()).isEqualTo(4096);
        assertThat(t.luns().get(2).store().blocks()).isEqualTo(1000);
        assertThat(t.settings().flag(TargetSetting.INITIAL_R2T)).isFalse();
        assertThat(t.settings().number(TargetSetting.MAX_RECV_DATA_SEGMENT_LENGTH)).isEqualTo(65536);
        assertThat(t.settings().digest(TargetSetting.HEADER_DIGEST)).isEqualTo("CRC32C,None");
        assertThat(t.settings().flag(TargetSetting.IMMEDIATE_DATA)).isTrue(); // IET's code default
        assertThat(c.target("iqn.2026-11.org.example:disk2").luns().get(0).store().path())
                .isEqualTo(Path.of("/srv/a.img"));
    }

    @Test
    void badLinesNameFileLineAndWhatWasExpected() {
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  Lun 0 Path=/x,Type=tape\n"))
                .hasMessage("/etc/iet/ietd.conf:2: expected Type=fileio, blockio or nullio, got 'tape'");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  InitialR2T yes\n"))
                .hasMessageContaining(":2: expected InitialR2T Yes or No (case matters)");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  MaxBurstLength 100\n"))
                .hasMessageContaining(":2: MaxBurstLength 100 out of range 512-16777215");
        assertThatThrownBy(() -> parse("Lun 0 Path=/x\n"))
                .hasMessageContaining(":1: Lun belongs inside a Target stanza");
        assertThatThrownBy(() -> parse("Target disk1\n"))
                .hasMessageContaining(":1: expected 'Target iqn.");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  MaxConections 2\n"))
                .hasMessageContaining(":2: unknown directive 'MaxConections'");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  Lun 0 Path=/a\n  Lun 0 Path=/b\n"))
                .hasMessageContaining(":3: LUN 0 is defined twice");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  IncomingUser onlyname\n"))
                .hasMessageContaining(":2: expected 'IncomingUser NAME SECRET'");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  FirstBurstLength 1048576\n"))
                .hasMessageContaining("FirstBurstLength must not exceed MaxBurstLength");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  Lun 0 Path=/a,ScsiSN=ABCDEFGHIJKLMNOPQ\n"))
                .hasMessageContaining("ScsiSN must be 1 to 16 printable ASCII characters");
    }

    @Test
    void harmlessIetDirectivesAreAcceptedWithAWarning() throws Exception {
        TandemConfig c = parse("iSNSServer 10.0.0.1\nTarget iqn.2026-11.org.x:a\n  OFMarker No\n");
        assertThat(c.targets()).hasSize(1);
    }

    @Test
    void initiatorsAllowMatchesAddressesRangesAndNames(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path allow = dir.resolve("initiators.allow");
        Files.writeString(allow, """
                # comment
                iqn.2026-11.org.x:a 10.1.0.0/16, iqn\\.1993-08\\.org\\.debian:.*
                iqn.2026-11.org.x:b [fd00::]/8
                ALL 192.168.7.7
                iqn.2026-11.org.x:c ALL
                """);
        AccessRules rules = AccessRules.read(allow);
        InetAddress inRange = InetAddress.getByName("10.1.2.3");
        InetAddress outside = InetAddress.getByName("10.2.0.1");
        assertThat(rules.allows("iqn.2026-11.org.x:a", inRange, "iqn.other")).isTrue();
        assertThat(rules.allows("iqn.2026-11.org.x:a", outside, "iqn.1993-08.org.debian:01:abc")).isTrue();
        assertThat(rules.allows("iqn.2026-11.org.x:a", outside, "iqn.other")).isFalse();
        assertThat(rules.allows("iqn.2026-11.org.x:b", InetAddress.getByName("fd12::1"), "x")).isTrue();
        assertThat(rules.allows("iqn.2026-11.org.x:z", InetAddress.getByName("192.168.7.7"), "x")).isTrue();
        // reading stops at the ALL line, as in IET: the rule for target c is never seen
        assertThat(rules.allows("iqn.2026-11.org.x:c", outside, "x")).isFalse();
        assertThat(AccessRules.read(dir.resolve("absent")).allows("t", outside, "x")).isTrue();
    }

    @Test
    void badAllowLinesFailWithFileAndLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path allow = dir.resolve("initiators.allow");
        Files.writeString(allow, "iqn.2026-11.org.x:a 10.0.0.0/40\n");
        assertThatThrownBy(() -> AccessRules.read(allow)).hasMessageContaining("initiators.allow:1: prefix /40");
    }
}
