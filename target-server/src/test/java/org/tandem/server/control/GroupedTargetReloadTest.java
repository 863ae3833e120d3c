package org.tandem.server.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.takeover.ClusterResources;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.fencing.Fencer;
import org.tandem.ha.takeover.ClusterNode;
import org.tandem.ha.takeover.PingMonitor;
import org.tandem.server.ha.ClusterNodeControl;
import org.tandem.server.ha.TargetGroupResources;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reload that drops a target a cluster group names would make the group's next release fail on its targets-offline
 * step (the target is not there to take offline), leaving the group FAILED and the peer fencing this node; its next
 * start would fail the same way. The admin API refuses to delete such a target; a reload must refuse it too.
 */
class GroupedTargetReloadTest {
    /** The release's delayed session ends run here, as on the node's timer thread; shut down after each test. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private static final String GROUPED = "iqn.2026-11.org.tandem.test:ha";
    private static final String LOCAL = "iqn.2026-11.org.tandem.test:local";

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private ClusterNode node;
    private Path conf;

    @AfterEach
    void stop() {
        timers.shutdownNow();
        if (node != null) {
            node.close();
        }
        catalog.close();
    }

    /** A daemon in a cluster (this node b, the peer a absent) running {@code ietdConf}; GROUPED is in group ha. */
    private TargetControl start(String ietdConf) throws Exception {
        conf = dir.resolve("ietd.conf");
        Files.writeString(conf, ietdConf);
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        List<ResourceGroup> groups = List.of(new ResourceGroup("ha", "a", List.of(), List.of(GROUPED), List.of()));
        HaConfig ha = HaCfParser.parse(dir.resolve("ha.cf"), List.of("node a b", "keepalive 100ms", "deadtime 1",
                "ucast lo 127.0.0.1", "fencing none"));
        node = new ClusterNode(ha, groups, AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1",
                "1 sha256 reload-test-key-0123")), "b", new ClusterResources(null, null, null, null,
                new TargetGroupResources(catalog, null, timers)),
                new Fencer(ha.fencing(), new CommandRunner(), Duration.ofSeconds(1)), new PingMonitor(List.of(), 100),
                0, 0, List::of);
        node.start();
        for (int i = 0; i < 200 && node.status() == null; i++) {
            Thread.sleep(10);
        }
        TargetControl control = new TargetControl(catalog, ConfigFile.of(config));
        control.cluster(new ClusterNodeControl(node), () -> { });
        return control;
    }

    @Test
    void aReloadThatDropsAGroupedTargetIsRefused() throws Exception {
        TargetControl control = start("Target " + GROUPED + "\n Lun 0 Type=nullio\nTarget " + LOCAL
                + "\n Lun 0 Type=nullio\n");

        Files.writeString(conf, "Target " + LOCAL + "\n Lun 0 Type=nullio\n");
        assertThatThrownBy(control::reload).isInstanceOf(ControlException.class)
                .hasMessageContaining("nothing changed").hasMessageContaining(GROUPED);
        assertThat(catalog.targets()).extracting(IscsiTarget::name).containsExactly(GROUPED, LOCAL);
        // the refused edit is still only on disk: saving the running configuration must not silently overwrite it
        assertThatThrownBy(() -> control.save(false)).isInstanceOf(ControlException.class)
                .hasMessageContaining("edited since");
        assertThat(Files.readString(conf)).doesNotContain(GROUPED);
    }

    /**
     * IOMode=wb on a grouped LUN acknowledges writes a power-off of this server erases: refused by a reload as at
     * start, naming the Lun line and the fix, and nothing changes.
     */
    @Test
    void aReloadThatSetsWriteBackOnAGroupedLunIsRefused() throws Exception {
        TargetControl control = start("Target " + GROUPED + "\n Lun 0 Type=nullio\nTarget " + LOCAL
                + "\n Lun 0 Type=nullio\n");

        Files.writeString(conf, "Target " + GROUPED + "\n Lun 0 Type=nullio\n Lun 1 Path=wb.img,IOMode=wb\nTarget "
                + LOCAL + "\n Lun 0 Type=nullio\n Lun 1 Path=local.img,IOMode=wb\n");
        assertThatThrownBy(control::reload).isInstanceOf(ControlException.class)
                .hasMessage("reload refused, nothing changed: " + conf + ":3: target " + GROUPED + " LUN 1 belongs to"
                        + " cluster group ha and has IOMode=wb, which acknowledges writes from this server's page"
                        + " cache that a power-off erases before the peer has them: set IOMode=wt on that Lun line"
                        + " (the initiator's own write cache and SYNCHRONIZE CACHE stay correct)");
        assertThat(catalog.target(GROUPED).lunNumbers()).containsExactly(0);
        assertThat(catalog.target(LOCAL).lunNumbers()).as("nothing of the file applied").containsExactly(0);
    }
}
