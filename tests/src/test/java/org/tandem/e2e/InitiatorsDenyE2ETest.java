package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A site locked down the classic IET way, 'ALL ALL' in initiators.deny and one initiator in initiators.allow, moved
 * to Tandem as it is: libiscsi logs in only under the allowed name, and the daemon warns once that
 * initiators.deny is deprecated, not once per login.
 */
class InitiatorsDenyE2ETest {
    private static final String ALLOWED = "iqn.2026-11.org.tandem.test:allowed";
    private static final String OTHER = "iqn.2026-11.org.tandem.test:other";
    private static final String DEPRECATED = "initiators.deny is deprecated";

    @TempDir
    Path dir;

    @Test
    void onlyTheInitiatorThatInitiatorsAllowListsLogsInPastAllAllInInitiatorsDeny() throws Exception {
        DaemonProcess.jar();
        assumeTrue(Tools.has("iscsi-inq") && Tools.has("iscsi-ls"), "libiscsi-bin is not installed");
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve("lun0.img").toFile(), "rw")) {
            raf.setLength(32L << 20);
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TargetFixture.TARGET + "\n  Lun 0 Path=lun0.img,Type=fileio\n");
        Files.writeString(dir.resolve("initiators.deny"), "# lock everyone out...\nALL ALL\n");
        Files.writeString(dir.resolve("initiators.allow"), "# ...but this one host\n" + TargetFixture.TARGET
                + " " + ALLOWED.replace(".", "\\.") + "\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String portal = "iscsi://127.0.0.1:" + port;
        String lun0 = portal + "/" + TargetFixture.TARGET + "/0";
        try (DaemonProcess daemon = DaemonProcess.start("--config", conf.toString(), "--portal",
                "127.0.0.1:" + port, "--no-admin")) {
            daemon.waitFor("Tandem serving 1 target(s)");

            Tools.Result allowed = Tools.run(30, "iscsi-inq", "-i", ALLOWED, lun0);
            assertThat(allowed.ok()).as(allowed.output()).isTrue();
            daemon.waitFor("login: " + ALLOWED);

            Tools.Result refused = Tools.run(30, "iscsi-inq", "-i", OTHER, lun0);
            assertThat(refused.ok()).as(refused.output()).isFalse();
            daemon.waitFor("login failed: " + OTHER);
            assertThat(daemon.lines()).filteredOn(l -> l.contains("login failed: " + OTHER)).singleElement()
                    .satisfies(l -> assertThat(l).contains("initiators.deny refuses " + OTHER + " from 127.0.0.1 to "
                            + TargetFixture.TARGET + ", and initiators.allow does not allow it"));
            assertThat(daemon.lines()).noneMatch(l -> l.contains("login: " + OTHER));

            assertThat(daemon.lines()).as("the deprecation, once, after both logins")
                    .filteredOn(l -> l.contains(DEPRECATED)).singleElement()
                    .satisfies(l -> assertThat(l).contains("WARN").contains("delete initiators.deny and nothing"
                            + " changes"));

            // Discovery follows the same files: the refused initiator is not even shown the target.
            assertThat(Tools.run(30, "iscsi-ls", "-i", ALLOWED, portal).output()).contains(TargetFixture.TARGET);
            assertThat(Tools.run(30, "iscsi-ls", "-i", OTHER, portal).output())
                    .doesNotContain(TargetFixture.TARGET);

            // A reload that leaves initiators.deny as it was does not repeat the warning.
            assertThat(Tools.run(10, "kill", "-HUP", Long.toString(daemon.pid())).ok()).isTrue();
            daemon.waitFor("reload of");
            assertThat(daemon.lines()).filteredOn(l -> l.contains(DEPRECATED)).hasSize(1);
            assertThat(daemon.process().isAlive()).isTrue();
        }
    }
}
