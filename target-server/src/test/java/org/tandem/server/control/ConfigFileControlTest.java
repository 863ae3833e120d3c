package org.tandem.server.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ietd.conf and the running target: a reload applies the file (or, refused, changes nothing), a save writes back
 * what runs, keeping the file's comments, and refuses to overwrite an edit it has not read.
 */
class ConfigFileControlTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private static final String B = "iqn.2026-11.org.tandem.test:b";

    @TempDir
    Path dir;
    private Path conf;
    private TargetCatalog catalog;
    private ClusterMembership cluster;
    private ConfigFileControl control;

    @BeforeEach
    void start() throws Exception {
        conf = Files.writeString(dir.resolve("ietd.conf"), "# the lab's targets\nTarget " + A
                + "\n Lun 0 Type=nullio\n");
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        cluster = new ClusterMembership();
        control = new ConfigFileControl(catalog, ConfigFile.of(config), cluster, new Retirement(catalog));
    }

    @AfterEach
    void stop() {
        catalog.close();
    }

    @Test
    void aReloadAppliesTheFileAndTheClusterBringsOnlineWhatItAdded() throws Exception {
        AtomicInteger broughtOnline = new AtomicInteger();
        cluster.join(FakeCluster.withoutGroups(), broughtOnline::incrementAndGet);
        Files.writeString(conf, "Target " + B + "\n Lun 0 Type=nullio\n");

        ReloadReport report = control.reload();

        assertThat(report.targetsAdded()).containsExactly(B);
        assertThat(report.targetsRemoved()).containsExactly(A);
        assertThat(catalog.target(B).lun(0).online()).as("opened in standby, for the cluster").isFalse();
        assertThat(broughtOnline).hasValue(1);
    }

    @Test
    void aRefusedReloadChangesNothingAndASaveWillNotOverwriteTheEdit() throws Exception {
        Files.writeString(conf, "Target " + A + "\n Lun 0 Type=floppy\n");
        assertThatThrownBy(control::reload).hasMessageStartingWith("reload refused, nothing changed: " + conf + ":2:")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.INVALID);
        assertThat(catalog.targets()).extracting(IscsiTarget::name).containsExactly(A);
        assertThatThrownBy(() -> control.save(false)).hasMessageContaining("was edited since Tandem read it")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.CONFLICT);
        assertThat(Files.readString(conf)).as("the edit stays on disk").contains("floppy");
    }

    @Test
    void aSaveWritesWhatRunsAndKeepsTheComments() throws Exception {
        catalog.target(A).addLun(IetdConfParser.parse(conf, "Target " + A + "\n Lun 1 Type=nullio\n").targets()
                .get(0).lun(1));
        assertThat(control.save(false)).isEqualTo(conf);
        String saved = Files.readString(conf);
        assertThat(saved).startsWith("# the lab's targets\n").contains("Lun 1 Type=nullio");
    }
}
