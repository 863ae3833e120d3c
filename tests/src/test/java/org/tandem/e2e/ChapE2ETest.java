package org.tandem.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** CHAP from ietd.conf, one-way and mutual, as libiscsi performs it. */
class ChapE2ETest {
    @TempDir
    Path dir;

    @BeforeAll
    static void needLibiscsi() {
        assumeTrue(Tools.has("iscsi-inq"), "libiscsi-bin is not installed: skipping CHAP end-to-end tests");
    }

    private static String withUser(TargetFixture t, String user, String secret) {
        return "iscsi://" + user + "%" + secret + "@127.0.0.1:" + t.port() + "/" + TargetFixture.TARGET + "/0";
    }

    @Test
    void oneWayChapAcceptsTheRightSecretOnlyAndKeepsServing() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "IncomingUser vmhost vmhostsecret1")) {
            assertThat(Tools.run(20, "iscsi-inq", withUser(t, "vmhost", "vmhostsecret1")).ok()).isTrue();
            assertThat(Tools.run(20, "iscsi-inq", withUser(t, "vmhost", "wrongsecret12")).ok()).isFalse();
            assertThat(Tools.run(20, "iscsi-inq", withUser(t, "nobody", "vmhostsecret1")).ok()).isFalse();
            assertThat(Tools.run(20, "iscsi-inq", t.url(0)).ok()).isFalse(); // no CHAP at all
            Tools.Result again = Tools.run(20, "iscsi-inq", withUser(t, "vmhost", "vmhostsecret1"));
            assertThat(again.ok()).as("still serving after refusals: " + again.output()).isTrue();
        }
    }

    /**
     * A qemu host configured with one CHAP account for every target offers CHAP,None to a target without CHAP;
     * libiscsi then repeats its identity keys in a second security-stage request. Refusing that ("key
     * InitiatorName offered twice") locked such hosts out, and with discovery CHAP broke iscsi-ls -s.
     */
    @Test
    void credentialsOfferedToATargetWithoutChapStillLogIn() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir)) {
            Tools.Result r = Tools.run(20, "iscsi-inq", withUser(t, "vmhost", "vmhostsecret1"));
            assertThat(r.ok()).as(r.output()).isTrue();
        }
    }

    @Test
    void mutualChapNeedsTheTargetsSecretToo() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "IncomingUser vmhost vmhostsecret1",
                "OutgoingUser storage storagesecret")) {
            String good = withUser(t, "vmhost", "vmhostsecret1") + "?target_user=storage&target_password=storagesecret";
            Tools.Result ok = Tools.run(20, "iscsi-inq", good);
            assertThat(ok.ok()).as(ok.output()).isTrue();
            String wrong = withUser(t, "vmhost", "vmhostsecret1") + "?target_user=storage&target_password=notthesecret";
            assertThat(Tools.run(20, "iscsi-inq", wrong).ok()).isFalse();
            assertThat(Tools.run(20, "iscsi-inq", good + "&header_digest=crc32c").ok()).isTrue();
        }
    }

    @Test
    void discoveryChapFromTheGlobalSection() throws Exception {
        try (TargetFixture t = TargetFixture.start(dir, """
                IncomingUser disco discosecret12
                Target iqn.2026-11.org.tandem.test:disk
                    Lun 0 Path=lun0.img,Type=fileio
                """, "lun0.img")) {
            Tools.Result anonymous = Tools.run(20, "iscsi-ls", t.portal());
            assertThat(anonymous.output()).doesNotContain("Target:");
            Tools.Result withChap = Tools.run(20, "iscsi-ls", "iscsi://disco%discosecret12@127.0.0.1:" + t.port());
            assertThat(withChap.output()).as(withChap.output()).contains("Target:" + TargetFixture.TARGET);
        }
    }
}
