package org.tandem.server.ha;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.HaDirectory;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** This node's name as Heartbeat takes it: --node or the host name, without case (ha.cf's names are lowercased). */
class ClusterSetupTest {
    private static final String DB = "iqn.2026-11.org.tandem.test:db";

    @TempDir
    Path dir;

    @Test
    void theNodeNameIsLowercaseWhetherGivenOrTheHostName() throws Exception {
        assertThat(ClusterSetup.nodeName("STORAGE1")).isEqualTo("storage1");
        assertThat(ClusterSetup.nodeName("Storage1.example.org")).isEqualTo("storage1.example.org");
        String host = ClusterSetup.nodeName(null);
        assertThat(host).isNotEmpty().isLowerCase().doesNotContain(".");
    }

    /** --node STORAGE1 against "node storage1" and a haresources line naming "Storage1": one node, it starts. */
    @Test
    void aNodeGivenInOtherCapitalsThanHaCfStarts() throws Exception {
        Path ha = HaDirectory.write(dir, 1, "Storage1 iscsi-target::" + DB);
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + DB + "\n Lun 0 Type=nullio\n");
        try (TargetCatalog catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run)) {
            ClusterSetup.Started started = ClusterSetup.start(ha, "STORAGE1", catalog, List::of);
            try {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (started.node().status() == null && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(started.node().status().self()).isEqualTo("storage1");
                assertThat(started.groups().get(0).preferredNode()).isEqualTo("storage1");
            } finally {
                started.node().close();
            }
        }
    }
}
