package org.tandem.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Discovery, login, header digests and several LUNs with libiscsi's own tools. */
class LibiscsiE2ETest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needLibiscsi() {
        assumeTrue(Tools.has("iscsi-ls") && Tools.has("iscsi-inq"),
                "libiscsi-bin is not installed (apt-get install libiscsi-bin): skipping libiscsi end-to-end tests");
    }

    @Test
    void discoveryListsTheTargetAndItsLunSizes() throws Exception {
        try (TargetFixture t = TargetFixture.start(dir, """
                Target iqn.2026-11.org.tandem.test:disk
                    Lun 0 Path=a.img,Type=fileio
                    Lun 3 Type=nullio,Blocks=2097152
                """, "a.img")) {
            Tools.Result r = Tools.run(20, "iscsi-ls", "-s", t.portal());
            assertThat(r.output()).as(r.output()).contains("Target:" + TargetFixture.TARGET)
                    .contains("Portal:127.0.0.1:" + t.port() + ",1")
                    .containsPattern("Lun:0 +Type:DIRECT_ACCESS \\(Size:63M\\)")
                    .containsPattern("Lun:3 +Type:DIRECT_ACCESS \\(Size:1023M\\)");
            assertThat(r.ok()).isTrue();
        }
    }

    @Test
    void inquiryOverHeaderAndDataDigests() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "HeaderDigest CRC32C,None", "DataDigest CRC32C,None")) {
            Tools.Result r = Tools.run(20, "iscsi-inq", t.url(0) + "?header_digest=crc32c");
            assertThat(r.output()).as(r.output()).contains("Vendor:TANDEM");
            assertThat(r.ok()).isTrue();
            Tools.Result vpd = Tools.run(20, "iscsi-inq", "-e", "1", "-c", "0x80", t.url(0));
            assertThat(vpd.ok()).as(vpd.output()).isTrue();
        }
    }

    @Test
    void aTargetThatRequiresCrc32cServesInitiatorsThatOfferIt() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "HeaderDigest CRC32C", "DataDigest CRC32C")) {
            Tools.Result r = Tools.run(20, "iscsi-inq", t.url(0) + "?header_digest=crc32c");
            assertThat(r.ok()).as(r.output()).isTrue();
        }
    }

    @Test
    void unknownTargetIsRefusedAndTheServerKeepsServing() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir)) {
            Tools.Result bad = Tools.run(20, "iscsi-inq", t.portal() + "/iqn.2026-11.org.nowhere:x/0");
            assertThat(bad.ok()).isFalse();
            assertThat(Tools.run(20, "iscsi-inq", t.url(0)).ok()).isTrue();
        }
    }
}
