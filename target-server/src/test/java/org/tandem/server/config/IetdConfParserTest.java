package org.tandem.server.config;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreType;
import org.tandem.server.CapturedLog;
import org.tandem.server.negotiation.IscsiKey;

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

    /** The refusal of these lines inside a Target stanza that starts on line 1. */
    private static AbstractThrowableAssert<?, ? extends Throwable> refusedInTarget(String lines) {
        return assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n" + lines));
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
        assertThat(t.settings().flag(IscsiKey.INITIAL_R2T)).isFalse();
        assertThat(t.settings().number(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH)).isEqualTo(65536);
        assertThat(t.settings().digest(IscsiKey.HEADER_DIGEST)).isEqualTo("CRC32C,None");
        assertThat(t.settings().flag(IscsiKey.IMMEDIATE_DATA)).isTrue(); // IET's code default
        assertThat(c.target("iqn.2026-11.org.example:disk2").luns().get(0).store().path())
                .isEqualTo(Path.of("/srv/a.img"));
    }

    @Test
    void badLinesNameFileLineAndWhatWasExpected() {
        refusedInTarget("  Lun 0 Path=/x,Type=tape\n")
                .hasMessage("/etc/iet/ietd.conf:2: expected Type=fileio, blockio or nullio, got 'tape'");
        refusedInTarget("  InitialR2T yes\n")
                .hasMessageContaining(":2: expected InitialR2T Yes or No (case matters)");
        refusedInTarget("  MaxBurstLength 100\n")
                .hasMessageContaining(":2: MaxBurstLength 100 out of range: write a number from 512 to 16777215");
        assertThatThrownBy(() -> parse("Lun 0 Path=/x\n"))
                .hasMessageContaining(":1: Lun belongs inside a Target stanza");
        assertThatThrownBy(() -> parse("Target\n"))
                .hasMessageContaining(":1: expected 'Target iqn.");
        refusedInTarget("  MaxConections 2\n")
                .hasMessageContaining(":2: unknown directive 'MaxConections'");
        refusedInTarget("  Lun 0 Path=/a\n  Lun 0 Path=/b\n")
                .hasMessageContaining(":3: LUN 0 is defined twice");
        refusedInTarget("  IncomingUser onlyname\n")
                .hasMessageContaining(":2: IncomingUser onlyname has no SECRET");
        refusedInTarget("  FirstBurstLength 1048576\n")
                .hasMessageContaining("FirstBurstLength must not exceed MaxBurstLength");
        refusedInTarget("  Lun 0 Path=/a,ScsiSN=ABCDEFGHIJKLMNOPQ\n")
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

    // ---- 1. trailing comments ----

    @Test
    void aWordStartingWithHashAfterWhiteSpaceEndsEveryDirective() throws Exception {
        TandemConfig c = parse("""
                iSNSServer 10.0.0.1   # not used
                Target iqn.2026-11.org.x:a   # the first disk
                    Lun 0 Path=/srv/a#1.img,Type=fileio,IOMode=wb   # '#' inside a word is part of the path
                    Lun 1 Type=nullio,Blocks=100\t# benchmark
                    Alias Test disk   # shown as TargetAlias
                    MaxConnections 1   # Number of connections/session
                    InitialR2T\t\tYes\t\t# Wait first for R2T
                    HeaderDigest None,CRC32C # PDU header checksum algo list
                    MaxRecvDataSegmentLength 0x10000 #hex
                """);
        TargetConfig t = c.target("iqn.2026-11.org.x:a");
        assertThat(t.luns().get(0).store().path()).isEqualTo(Path.of("/srv/a#1.img"));
        assertThat(t.luns().get(0).store().ioMode()).isEqualTo(IoMode.WB);
        assertThat(t.luns().get(1).store().blocks()).isEqualTo(100);
        assertThat(t.alias()).isEqualTo("Test disk");
        assertThat(t.settings().number(IscsiKey.MAX_CONNECTIONS)).isEqualTo(1);
        assertThat(t.settings().flag(IscsiKey.INITIAL_R2T)).isTrue();
        assertThat(t.settings().digest(IscsiKey.HEADER_DIGEST)).isEqualTo("None,CRC32C");
        assertThat(t.settings().number(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH)).isEqualTo(65536);
    }

    @Test
    void ietsOwnSampleLinesReadAsIetReadThem() throws Exception {
        // IET 1.4.19's etc/ietd.conf with its example lines uncommented, comments and all
        TandemConfig c = parse("""
                Target iqn.2001-04.com.example:storage.disk2.sys1.xyz
                	MaxConnections\t\t1\t\t# Number of connections/session
                	\t\t\t\t# We only support 1
                	MaxSessions\t\t0\t\t# Number of sessions/target
                	ImmediateData\t\tYes\t\t# Data can accompany command
                	DefaultTime2Retain\t20\t\t# Secs keep cmnds after log out
                	NOPTimeout\t\t0 \t\t# Wait that many seconds for a
                	Wthreads\t\t8\t\t# Number of IO threads
                	QueuedCommands\t\t32\t\t# Number of queued commands
                """);
        TargetSettings s = c.targets().get(0).settings();
        assertThat(s.number(IscsiKey.DEFAULT_TIME2RETAIN)).isEqualTo(20);
        assertThat(s.number(IscsiKey.QUEUED_COMMANDS)).isEqualTo(32);
    }

    @Test
    void chapTakesNameAndSecretPositionallyAndTheRestAfterHashIsAComment() throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            TandemConfig c = parse("""
                    IncomingUser joe #abc123456789
                    Target iqn.2026-11.org.x:a
                        IncomingUser ann secret123456   # ann's account
                        OutgoingUser tgt #hashsecret12 # mutual CHAP
                    """);
            assertThat(c.discoveryIncoming()).containsExactly(new ChapAccount("joe", "#abc123456789"));
            TargetConfig t = c.targets().get(0);
            assertThat(t.incoming()).containsExactly(new ChapAccount("ann", "secret123456"));
            assertThat(t.outgoing()).isEqualTo(new ChapAccount("tgt", "#hashsecret12"));
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("ietd.conf:1:")
                    .contains("IncomingUser secret of 'joe' starts with '#'").contains("taken as the secret"));
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("ietd.conf:4:")
                    .contains("OutgoingUser secret of 'tgt' starts with '#'"));
            assertThat(log.warnings()).noneMatch(w -> w.contains("ietd.conf:3:"));
        }
        refusedInTarget("  IncomingUser joe my secret phrase\n")
                .hasMessageStartingWith("/etc/iet/ietd.conf:2: IncomingUser takes one NAME and one SECRET")
                .hasMessageContaining("Write 'IncomingUser NAME SECRET'");
    }

    // ---- 2. bare IncomingUser / OutgoingUser, NAME without SECRET ----

    @Test
    void bareChapDirectivesHaveNoEffectAndSayWhy() throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            TandemConfig c = parse("""
                    IncomingUser
                    OutgoingUser   # none
                    Target iqn.2026-11.org.x:a
                        IncomingUser
                        OutgoingUser
                        Lun 0 Type=nullio
                    """);
            assertThat(c.discoveryIncoming()).isEmpty();
            assertThat(c.discoveryOutgoing()).isNull();
            assertThat(c.targets().get(0).incoming()).isEmpty();
            assertThat(c.targets().get(0).outgoing()).isNull();
            for (int line : new int[] {1, 2, 4, 5}) {
                assertThat(log.warnings()).filteredOn(w -> w.contains("ietd.conf:" + line + ":")).singleElement()
                        .satisfies(w -> assertThat(w).contains("without NAME and SECRET has no effect")
                                .contains("no CHAP account is added"));
            }
        }
    }

    @Test
    void writeBackOnBlockioWhichIetIgnoredIsWarnedAbout() throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            parse("Target iqn.2026-11.org.x:a\n  Lun 0 Path=/dev/vg0/lv0,Type=blockio,IOMode=wb\n");
            assertThat(log.warnings()).anyMatch(w -> w.contains("ietd.conf:2:") && w.contains("IET ignored it"));
        }
    }

    @Test
    void anIncomingUserWhoseNameStartsWithHashIsRefusedBecauseIetRequiredChap() {
        // IET: NAME '#', SECRET 'none': CHAP required with that account; as a comment the target would be open
        refusedInTarget("  IncomingUser # none\n").hasMessageContaining("IET took '#' as a user name and 'none' as its"
                + " secret").hasMessageContaining("without CHAP");
        assertThatThrownBy(() -> parse("IncomingUser #joe secretsecret12\n")).hasMessageContaining("discovery");
    }

    @Test
    void aNameWithoutASecretIsRefusedBecauseIetLeftTheTargetOpen() {
        refusedInTarget("  IncomingUser joe\n")
                .hasMessage("/etc/iet/ietd.conf:2: IncomingUser joe has no SECRET: IET ignored such a line and left"
                        + " the target without CHAP. Write 'IncomingUser joe SECRET' (12 to 16 characters for"
                        + " Microsoft's initiator) or remove the line");
        refusedInTarget("  IncomingUser joe   # TODO secret\n")
                .hasMessage("/etc/iet/ietd.conf:2: IncomingUser joe has no SECRET: IET would have taken the lone '#'"
                        + " as the secret. Write 'IncomingUser joe SECRET' (12 to 16 characters for Microsoft's"
                        + " initiator) or remove the line");
        assertThatThrownBy(() -> parse("OutgoingUser jack\n"))
                .hasMessageStartingWith("/etc/iet/ietd.conf:1: OutgoingUser jack has no SECRET")
                .hasMessageContaining("left discovery without CHAP").hasMessageContaining("'OutgoingUser jack SECRET'");
    }

    // ---- 3. 64-bit sizes ----

    @Test
    void blockCountsAreSixtyFourBit() throws Exception {
        TandemConfig c = parse("Target iqn.2026-11.org.x:a\n  Lun 0 Type=nullio,Blocks=5000000000\n"
                + "  Lun 1 Type=nullio,Blocks=0x200000000,BlockSize=4096\n");
        assertThat(c.targets().get(0).luns().get(0).store().blocks()).isEqualTo(5_000_000_000L);
        assertThat(c.targets().get(0).luns().get(1).store().blocks()).isEqualTo(1L << 33);
    }

    @Test
    void numberErrorsSayTheFormAndTheRange() {
        refusedInTarget("  Lun 0 Type=nullio,Blocks=5T\n")
                .hasMessage("/etc/iet/ietd.conf:2: expected Blocks as a decimal or 0x hexadecimal number from 0 to "
                        + Long.MAX_VALUE + ", got '5T'");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  Lun 0 Type=nullio,BlockSize=4096,"
                + "Blocks=" + Long.MAX_VALUE + "\n"))
                .hasMessageContaining(":2: Blocks=" + Long.MAX_VALUE + " of 4096 bytes exceeds 2^63 bytes: write at"
                        + " most Blocks=" + Long.MAX_VALUE / 4096);
        refusedInTarget("  Lun 16384 Type=nullio\n")
                .hasMessageContaining(":2: LUN number 16384 out of range: write a number from 0 to 16383");
        refusedInTarget("  MaxConnections one\n")
                .hasMessageContaining(":2: expected MaxConnections as a decimal or 0x hexadecimal number from 1 to"
                        + " 65535, got 'one'");
        refusedInTarget("  Lun 0 Type=nullio,BlockSize=1000\n")
                .hasMessageContaining(":2: expected BlockSize=512, 1024, 2048 or 4096, got 1000");
    }

    // ---- 4. Sectors= ----

    @Test
    void sectorsOnANullioLunIsReadAsBlocksWithAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            TandemConfig c = parse("Target iqn.2026-11.org.x:a\n  Lun 1 Sectors=10000,Type=nullio\n");
            assertThat(c.targets().get(0).lun(1).store().blocks()).isEqualTo(10000);
            assertThat(c.targets().get(0).lun(1).store().type()).isEqualTo(StoreType.NULLIO);
            assertThat(log.warnings()).singleElement().satisfies(w -> assertThat(w).contains("ietd.conf:2:")
                    .contains("Sectors=").contains("Write Blocks=10000 instead"));
        }
    }

    @Test
    void sectorsCountsBlocksOfTheBlockSizeAsIet1420DidAndZeroMeansTheDefault() throws Exception {
        TandemConfig c = parse("Target iqn.2026-11.org.x:a\n  Lun 0 Type=nullio,Sectors=80,BlockSize=4096\n"
                + "  Lun 1 Type=nullio,Blocks=0\n");
        assertThat(c.targets().get(0).lun(0).store().blocks()).isEqualTo(80);
        assertThat(c.targets().get(0).lun(0).store().blockSize()).isEqualTo(4096);
        assertThat(c.targets().get(0).lun(1).store().blocks()).isZero(); // the store's default size
    }

    @Test
    void sectorsWithBlocksOrOnAFileIsRefused() {
        refusedInTarget("  Lun 0 Type=nullio,Sectors=10,Blocks=0\n")
                .hasMessage("/etc/iet/ietd.conf:2: both Sectors= and Blocks= give the size: keep only Blocks=");
        refusedInTarget("  Lun 0 Path=/srv/a.img,Sectors=10\n")
                .hasMessage("/etc/iet/ietd.conf:2: Sectors= sizes nullio LUNs only (IET's older name for Blocks=); a"
                        + " fileio LUN is as large as its Path: remove Sectors=");
        refusedInTarget("  Lun 0 Path=/dev/sdb,Type=blockio,Sectors=9\n")
                .hasMessageContaining(":2: Sectors= sizes nullio LUNs only").hasMessageContaining("a blockio LUN");
        refusedInTarget("  Lun 0 Path=/srv/a.img,Blocks=10\n")
                .hasMessageContaining(":2: Blocks= sizes nullio LUNs only; a fileio LUN is as large as its Path:"
                        + " remove Blocks=");
    }

    // ---- 5. target names ----

    @Test
    void looseTargetNamesAreAcceptedWithAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            TandemConfig c = parse("Target disk1\n  Lun 0 Type=nullio\nTarget iqn.2026-11.org.x:disk_2\n"
                    + "Target iqn.2026-11.org.Example:Disk3\n");
            assertThat(c.targets()).extracting(TargetConfig::name)
                    .containsExactly("disk1", "iqn.2026-11.org.x:disk_2", "iqn.2026-11.org.Example:Disk3");
            assertThat(log.warnings()).filteredOn(w -> w.contains("initiators may refuse it (RFC 7143 section"
                    + " 4.2.7)")).hasSize(2).anySatisfy(w -> assertThat(w).contains("ietd.conf:1:"))
                    .anySatisfy(w -> assertThat(w).contains("ietd.conf:3:"));
        }
    }

    @Test
    void whatCannotBeAnIscsiNameIsRefused() {
        String tooLong = "iqn.2026-11.org.x:" + "a".repeat(IscsiName.MAX_BYTES);
        assertThatThrownBy(() -> parse("Target " + tooLong + "\n"))
                .hasMessageContaining("/etc/iet/ietd.conf:1: '" + tooLong + "' cannot be an iSCSI target name: it is"
                        + " 241 bytes long; an iSCSI name is at most 223 bytes")
                .hasMessageContaining("write e.g. 'Target iqn.2026-11.org.example:disk1'");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\u0007b\n"))
                .hasMessageContaining(":1: 'iqn.2026-11.org.x:a\u0007b' cannot be an iSCSI target name: it contains"
                        + " the control or space character U+0007");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a=b\n"))
                .hasMessageContaining(":1: 'iqn.2026-11.org.x:a=b' cannot be an iSCSI target name: it contains '='");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a disk\n"))
                .hasMessageContaining(":1: expected 'Target iqn.YYYY-MM.reversed.domain[:id]', got 'Target"
                        + " iqn.2026-11.org.x:a disk': a target name has no spaces");
    }

    @Test
    void namesThatDifferOnlyInCaseAreOneTarget() {
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:Disk\nTarget iqn.2026-11.org.X:disk\n"))
                .hasMessage("/etc/iet/ietd.conf:2: target iqn.2026-11.org.X:disk is defined twice (iSCSI names ignore"
                        + " case; the first is iqn.2026-11.org.x:Disk): rename one or merge the stanzas");
    }

    // ---- 6. tgt's targets.conf syntax ----

    @Test
    void tgtSyntaxIsRefusedWithTheIetLineToWrite() {
        String allow = Path.of("/etc/iet/initiators.allow").toString();
        refusedInTarget("  initiator-address 10.1.2.180\n")
                .hasMessage("/etc/iet/ietd.conf:2: 'initiator-address' is tgt's targets.conf syntax, not IET's: IET"
                        + " restricts initiators in " + allow + ": write the line 'iqn.2026-11.org.x:a 10.1.2.180'"
                        + " there (several addresses go comma-separated on that one line: IET read only the first"
                        + " line naming a target)");
        refusedInTarget("  initiator-name iqn.1994-05.com.redhat:c1\n")
                .hasMessageContaining(":2: 'initiator-name' is tgt's")
                .hasMessageContaining("write the line 'iqn.2026-11.org.x:a iqn\\.1994-05\\.com\\.redhat:c1' there");
        assertThatThrownBy(() -> parse("<target iqn.2008-09.com.example:server.target1>\n"))
                .hasMessage("/etc/iet/ietd.conf:1: '<target' is tgt's targets.conf syntax, not IET's: write 'Target"
                        + " iqn.2008-09.com.example:server.target1' instead (a Target stanza runs to the next Target"
                        + " line)");
        refusedInTarget("</target>\n")
                .hasMessageContaining(":2: '</target>' is tgt's targets.conf syntax, not IET's: remove it");
        assertThatThrownBy(() -> parse("Target iqn.2026-11.org.x:a\n  Lun 0 Type=nullio\n"
                + "  backing-store /dev/vg0/lv1   # Becomes LUN 1\n"))
                .hasMessageContaining(":3: 'backing-store' is tgt's targets.conf syntax, not IET's: write"
                        + " 'Lun 1 Path=/dev/vg0/lv1,Type=blockio' instead");
        refusedInTarget("  direct-store /dev/sdd\n")
                .hasMessageContaining(":2: 'direct-store' is tgt's").hasMessageContaining("'Lun 0 Path=/dev/sdd,"
                        + "Type=blockio'");
        refusedInTarget("  <backing-store /srv/disk.img>\n")
                .hasMessageContaining(":2: '<backing-store' is tgt's").hasMessageContaining("'Lun 0 Path=/srv/disk.img,"
                        + "Type=fileio'");
        refusedInTarget("  write-cache off\n")
                .hasMessageContaining(":2: 'write-cache' is tgt's").hasMessageContaining("write IOMode=wt in the Lun"
                        + " line's options instead");
        refusedInTarget("  vendor_id MyCompany Inc.\n")
                .hasMessageContaining(":2: 'vendor_id' is tgt's").hasMessageContaining("remove the line");
        assertThatThrownBy(() -> parse("initiator-address 10.1.2.180\n"))
                .hasMessageContaining(":1: 'initiator-address' is tgt's")
                .hasMessageContaining("write the line 'TARGETNAME 10.1.2.180' there");
    }

    @Test
    void lowerCaseIncominguserIsIetsOwnDirective() throws Exception {
        TandemConfig c = parse("Target iqn.2008-09.com.example:server.target2\n"
                + "    incominguser someuser secretpass12\n    outgoinguser userA secretpassA1\n");
        assertThat(c.targets().get(0).incoming()).containsExactly(new ChapAccount("someuser", "secretpass12"));
        assertThat(c.targets().get(0).outgoing().name()).isEqualTo("userA");
    }

    // ---- 7. every directive and Lun option IET 0.4.x-1.4.20 accepted ----

    @Test
    void everyIetDirectiveIsHonouredOrAcceptedWithAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog(IetdConfParser.class)) {
            TandemConfig c = parse("""
                    iSNSServer 192.168.1.16
                    iSNSAccessControl No
                    IncomingUser joe secretsecret
                    OutgoingUser jack 12charsecret
                    MaxRecvDataSegmentLength 65536
                    Alias global
                    Target iqn.2001-04.com.example:storage.disk2.sys1.xyz
                        IncomingUser joe secretsecret
                        OutgoingUser jim 12charpasswd
                        Lun 0 Path=/dev/sdc,Type=fileio,ScsiId=xyz,ScsiSN=xyz,IOMode=wb
                        Lun 1 Sectors=10000,Type=nullio
                        Lun 2 Path=/dev/sdd,Type=blockio,IOMode=ro,BlockSize=4096
                        Lun 3 Type=nullio,Blocks=1000,BlockSize=4096,,
                        Alias Test
                        HeaderDigest None
                        DataDigest CRC32C,None
                        MaxConnections 1
                        MaxSessions 0
                        InitialR2T Yes
                        ImmediateData No
                        MaxRecvDataSegmentLength 8192
                        MaxXmitDataSegmentLength 8192
                        MaxBurstLength 262144
                        FirstBurstLength 65536
                        DefaultTime2Wait 2
                        DefaultTime2Retain 20
                        MaxOutstandingR2T 1
                        DataPDUInOrder Yes
                        DataSequenceInOrder Yes
                        ErrorRecoveryLevel 0
                        NOPInterval 0
                        NOPTimeout 0
                        Wthreads 8
                        QueuedCommands 32
                        OFMarker No
                        IFMarker No
                        OFMarkInt 2048
                        IFMarkInt 2048
                        Type 0
                    """);
            TargetConfig t = c.targets().get(0);
            assertThat(t.luns()).hasSize(4);
            assertThat(t.lun(0).scsiId()).isEqualTo("xyz");
            assertThat(t.lun(2).store().ioMode()).isEqualTo(IoMode.RO);
            assertThat(t.lun(3).store().blockSize()).isEqualTo(4096);
            assertThat(t.alias()).isEqualTo("Test");
            assertThat(t.settings().flag(IscsiKey.IMMEDIATE_DATA)).isFalse();
            assertThat(t.settings().digest(IscsiKey.DATA_DIGEST)).isEqualTo("CRC32C,None");
            for (String ignored : new String[] {"iSNSServer", "iSNSAccessControl", "OFMarker", "IFMarker", "OFMarkInt",
                    "IFMarkInt", "Type"}) {
                assertThat(log.warnings()).anySatisfy(w -> assertThat(w)
                        .contains("IET directive " + ignored + " has no effect in Tandem"));
            }
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("ietd.conf:5: MaxRecvDataSegmentLength"
                    + " has no effect in the global section (IET ignored it there too)")
                    .contains("Move it below a Target line"));
            assertThat(log.warnings()).anySatisfy(w -> assertThat(w).contains("ietd.conf:6: Alias has no effect in"
                    + " the global section"));
        }
    }

    @Test
    void everyRefusalNamesFileLineAndTheFix() {
        String t = "Target iqn.2026-11.org.x:a\n";
        String[][] cases = {
                {t + "  Lun 0\n", ":2: expected 'Lun N Path=FILE,Type=fileio'"},
                {t + "  Lun 0 Path=/a, Type=fileio\n", ":2: the Lun option list must not contain spaces (IET reads"
                        + " only up to the first one): write 'Lun 0 Path=/a,Type=fileio'"},
                {t + "  Lun 0 Path=/a,fileio\n", ":2: expected NAME=VALUE in the Lun options, got 'fileio': write"},
                {t + "  Lun 0 Path=/a,Path=/b\n", ":2: Path= is given twice in one Lun line: keep one"},
                {t + "  Lun 0 Path=,Type=fileio\n", ":2: Path= is empty: write Path=/dev/... or Path=FILE"},
                {t + "  Lun 0 Path=/a,Size=10\n", ":2: unknown Lun option 'Size' (expected Path, Type,"},
                {t + "  Lun 0 Type=fileio\n", ":2: Type=fileio needs Path=: write 'Lun N Path=FILE,Type=fileio'"},
                {t + "  Lun 0 Path=/a,Type=nullio\n", ":2: a nullio LUN has no data: remove Path= or use"
                        + " Type=fileio"},
                {t + "  Lun 0 Path=/a,IOMode=rw\n", ":2: expected IOMode=wt, wb or ro, got 'rw'"},
                {t + "  Lun 0 Path=/a,ScsiId=\n", ":2: ScsiId must be 1 to 16 printable ASCII characters"},
                {t + "  Lun 0 Type=nullio\n  Lun 0 Type=nullio\n", ":3: LUN 0 is defined twice in target"
                        + " iqn.2026-11.org.x:a: give this one another number"},
                {"Lun 0 Type=nullio\n", ":1: Lun belongs inside a Target stanza: put it below a 'Target NAME' line"},
                {t + "  Alias   # none\n", ":2: expected 'Alias TEXT', got an empty Alias: write a name or remove"},
                {t + "  DataPDUInOrder No\n", ":2: DataPDUInOrder must be Yes in Tandem (as in IET): write"
                        + " 'DataPDUInOrder Yes' or remove the line"},
                {t + "  ErrorRecoveryLevel 2\n", ":2: ErrorRecoveryLevel 2 out of range: write a number from 0"
                        + " to 0"},
                {t + "  HeaderDigest MD5\n", ":2: expected HeaderDigest None, CRC32C or a comma list of them"},
                {t + "  OutgoingUser a secretsecret1\n  OutgoingUser b secretsecret2\n", ":3: only one"
                        + " OutgoingUser is allowed per target: keep one of the lines"},
                {"OutgoingUser a secretsecret1\nOutgoingUser b secretsecret2\n", ":2: only one OutgoingUser is"
                        + " allowed in the global section: keep one of the lines"},
                {t + "  MaxConections 1\n", ":2: unknown directive 'MaxConections' (expected Target, Lun,"
                        + " IncomingUser, OutgoingUser, Alias or a target setting such as MaxConnections): check the"
                        + " spelling or remove the line"},
                {t + "  FirstBurstLength 1048576\n", ":1: target iqn.2026-11.org.x:a: FirstBurstLength must not"
                        + " exceed MaxBurstLength: lower FirstBurstLength or raise MaxBurstLength"},
                {t + "  Lun 0 Path=/a,\\\n", ":2: line continued with '\\' at the end of the file: remove the"
                        + " backslash"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).hasMessageStartingWith("/etc/iet/ietd.conf" + c[1]);
        }
    }
}
