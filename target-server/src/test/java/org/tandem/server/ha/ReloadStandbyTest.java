package org.tandem.server.ha;

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
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.control.ConfigFile;
import org.tandem.server.control.TargetControl;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload in a cluster never lets a LUN answer that this node may not serve, not even between opening it and
 * handing it to the cluster: new and replaced LUNs of grouped targets (and every new target when a group is
 * written as {@code iscsitarget}) open in standby, and only the group's targets-online step, or a group that
 * already passed it here, brings them online. The group steps are called here as the cluster's step executor
 * would call them, so each interleaving of a reload with a start or a release is played out in order.
 */
class ReloadStandbyTest {
    /** The release's delayed session ends run here, as on the node's timer thread; shut down after each test. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private static final String T = "iqn.2026-11.org.tandem.test:grouped";
    private static final String NEW = "iqn.2026-11.org.tandem.test:new";
    private static final String LOCAL = "iqn.2026-11.org.tandem.test:local";

    @TempDir
    Path dir;
    private Path conf;
    private TargetCatalog catalog;
    private ClusterNode node;
    private TargetGroupResources resources;
    private TargetControl control;
    /** Each LUN's NOT READY reason (or "online") when the reload hands its LUNs to the cluster. */
    private final Map<String, String> atHandOver = new LinkedHashMap<>();

    private void start(String ietdConf, ResourceGroup group) throws Exception {
        conf = dir.resolve("ietd.conf");
        Files.writeString(conf, ietdConf);
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        List<ResourceGroup> groups = List.of(group);
        HaConfig ha = HaCfParser.parse(dir.resolve("ha.cf"), List.of("node a b", "keepalive 100ms", "deadtime 1",
                "ucast lo 127.0.0.1", "fencing none"));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 reload-standby-test-key"));
        ReservationReplication reservations = new ReservationReplication(catalog, groups);
        resources = new TargetGroupResources(catalog, reservations, timers);
        // Not started: the group steps are driven by the test, in the order each case needs.
        node = new ClusterNode(ha, groups, keys, "b", new ClusterResources(null, null, null, null, resources),
                new Fencer(ha.fencing(), new CommandRunner(), Duration.ofSeconds(1)),
                new PingMonitor(List.of(), 100), 0, 0, List::of);
        TargetGroupResources.standby(catalog, groups);
        ClusterSetup.Started started = new ClusterSetup.Started(node, reservations, resources, catalog, groups);
        control = new TargetControl(catalog, ConfigFile.of(config));
        control.cluster(new ClusterNodeControl(node), () -> {
            for (IscsiTarget t : catalog.targets()) {
                for (LogicalUnit u : t.units()) {
                    atHandOver.put(t.name() + " " + u.identity().lun(), state(u));
                }
            }
            started.lunsAdded();
        });
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        if (node != null) {
            node.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    private static String state(LogicalUnit u) {
        return u.online() ? "online" : u.notReadyReason().name();
    }

    private String state(String target, int lun) {
        return state(catalog.target(target).lun(lun));
    }

    private void reload(String ietdConf) throws Exception {
        Files.writeString(conf, ietdConf);
        control.reload();
    }

    private static ResourceGroup named(String target) {
        return new ResourceGroup("g", "a", List.of(), List.of(target), List.of());
    }

    private static final String STANDBY = SenseReason.TARGET_PORT_IN_STANDBY_STATE.name();

    @Test
    void onTheStandbyNodeAnAddedOrReplacedLunOfAGroupedTargetNeverAnswers() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", named(T));

        reload("Target " + T + "\n Lun 0 Type=nullio,ScsiSN=EDITED\n Lun 1 Type=nullio\n");

        assertThat(atHandOver).as("while the reload hands them to the cluster")
                .containsEntry(T + " 0", STANDBY).containsEntry(T + " 1", STANDBY);
        assertThat(state(T, 0)).isEqualTo(STANDBY);
        assertThat(state(T, 1)).isEqualTo(STANDBY);
    }

    @Test
    void underIscsitargetATargetAReloadAddsNeverAnswers() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", new ResourceGroup("g", "a", List.of(), List.of(),
                List.of(T), List.of(), true));

        reload("Target " + T + "\n Lun 0 Type=nullio\nTarget " + NEW + "\n Lun 0 Type=nullio\n");

        assertThat(atHandOver).as("while the reload hands it to the cluster").containsEntry(NEW + " 0", STANDBY);
        assertThat(state(NEW, 0)).isEqualTo(STANDBY);
    }

    @Test
    void aReloadAfterTheReleaseTookTheTargetsOfflineLeavesTheReplacedLunInStandby() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", named(T));
        resources.targetsOnline(List.of(T)); // the group was served here
        resources.targetsOffline(List.of(T)); // the release is under way: the group is RELEASING

        reload("Target " + T + "\n Lun 0 Type=nullio,ScsiSN=EDITED\n Lun 1 Type=nullio\n");

        assertThat(atHandOver).containsEntry(T + " 0", STANDBY).containsEntry(T + " 1", STANDBY);
        // The release ends (OFFLINE here) and the peer starts the group: nothing here answers for it.
        assertThat(state(T, 0)).isEqualTo(STANDBY);
        assertThat(state(T, 1)).isEqualTo(STANDBY);
    }

    @Test
    void aReloadBeforeTheReleaseTookTheTargetsOfflineIsTakenOfflineWithThem() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", named(T));
        resources.targetsOnline(List.of(T));

        reload("Target " + T + "\n Lun 0 Type=nullio,ScsiSN=EDITED\n Lun 1 Type=nullio\n");
        assertThat(state(T, 0)).as("served here: online right after the reload").isEqualTo("online");
        assertThat(state(T, 1)).isEqualTo("online");
        resources.targetsOffline(List.of(T));

        assertThat(state(T, 0)).isEqualTo(STANDBY);
        assertThat(state(T, 1)).isEqualTo(STANDBY);
    }

    @Test
    void aReloadWhileTheGroupStartsComesOnlineWithTheTargetsOnlineStep() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", named(T));
        // STARTING: DRBD promoted, the targets-online step not run yet.
        reload("Target " + T + "\n Lun 0 Type=nullio\n Lun 1 Type=nullio\n");
        assertThat(state(T, 1)).isEqualTo(STANDBY);

        resources.targetsOnline(List.of(T));

        assertThat(state(T, 0)).isEqualTo("online");
        assertThat(state(T, 1)).isEqualTo("online");
    }

    @Test
    void aLunAnAdministratorTookOfflineStaysOfflineWhenAReloadAddsAnother() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", named(T));
        resources.targetsOnline(List.of(T));
        control.offline(T, 0);

        reload("Target " + T + "\n Lun 0 Type=nullio\n Lun 1 Type=nullio\n");

        assertThat(state(T, 0)).isEqualTo(SenseReason.LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION.name());
        assertThat(state(T, 1)).isEqualTo("online");
    }

    @Test
    void aTargetNoGroupCanClaimServesAtOnce() throws Exception {
        start("Target " + T + "\n Lun 0 Type=nullio\n", named(T));

        reload("Target " + T + "\n Lun 0 Type=nullio\nTarget " + LOCAL + "\n Lun 0 Type=nullio\n");

        assertThat(state(LOCAL, 0)).isEqualTo("online");
        assertThat(state(T, 0)).as("untouched by the reload, still the peer's").isEqualTo(STANDBY);
    }
}
