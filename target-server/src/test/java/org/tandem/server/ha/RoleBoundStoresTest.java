package org.tandem.server.ha;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.lun.store.DetachableStore;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.LunConfig;
import org.tandem.server.control.ConfigFile;
import org.tandem.server.control.ControlException;
import org.tandem.server.control.TargetControl;
import org.tandem.server.session.TargetCatalog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A grouped LUN's file or device is held only while its group is served here: opened by the targets-online step
 * (after promote), closed by the targets-offline step (before demote). On real DRBD the standby's device refuses a
 * write-open and a device held open cannot be demoted; an LV on it does not even exist on the standby. The files
 * here stand in for such devices; whether this process holds one is read from /proc/self/fd.
 */
class RoleBoundStoresTest {
    /** The release's delayed session ends run here, as on the node's timer thread; shut down after each test. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private static final String T = "iqn.2026-11.org.tandem.test:grouped";
    private static final String LOCAL = "iqn.2026-11.org.tandem.test:local";
    private static final String STANDBY = SenseReason.TARGET_PORT_IN_STANDBY_STATE.name();

    @TempDir
    Path dir;
    private Path conf;
    private TargetCatalog catalog;
    private TargetGroupResources resources;
    private final List<ResourceGroup> groups = List.of(new ResourceGroup("g", "a", List.of("r0"), List.of(T),
            List.of()));

    private void start() throws Exception {
        conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + T + "\n"
                + " Lun 0 Path=g0.img,Type=fileio\n"
                + " Lun 1 Path=g1.img,Type=fileio\n"
                + "Target " + LOCAL + "\n"
                + " Lun 0 Path=local.img,Type=fileio\n");
        create("local.img");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run, ClusterSetup.followsRole(groups));
        resources = new TargetGroupResources(catalog, new ReservationReplication(catalog, groups), timers);
        TargetGroupResources.standby(catalog, groups);
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        if (catalog != null) {
            catalog.close();
        }
    }

    private Path create(String name) throws IOException {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        return p;
    }

    /** Whether this process has {@code name} open: what keeps a DRBD device from being demoted. */
    private boolean held(String name) throws IOException {
        Path file = dir.resolve(name).toRealPath();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (IOException e) {
                    return false; // the descriptor of the listing itself, closed meanwhile
                }
            });
        }
    }

    private String state(String target, int lun) {
        LogicalUnit u = catalog.target(target).lun(lun);
        return u.online() ? "online" : u.notReadyReason().name();
    }

    @Test
    void aGroupedLunIsOpenedByTargetsOnlineAndClosedByTargetsOffline() throws Exception {
        start(); // g0.img and g1.img do not exist yet, as an LV on DRBD does not on the standby

        assertThat(catalog.target(T).lun(0).store()).isInstanceOf(DetachableStore.class);
        assertThat(((DetachableStore) catalog.target(T).lun(0).store()).attached()).isFalse();
        assertThat(state(T, 0)).isEqualTo(STANDBY);
        assertThat(held("local.img")).as("a LUN of no group opens at start, as without a cluster").isTrue();
        assertThat(state(LOCAL, 0)).isEqualTo("online");

        create("g0.img");
        create("g1.img");
        assertThat(held("g0.img")).isFalse();
        resources.targetsOnline(List.of(T));

        assertThat(held("g0.img")).isTrue();
        assertThat(held("g1.img")).isTrue();
        assertThat(state(T, 0)).isEqualTo("online");
        assertThat(catalog.target(T).lun(0).store().blockCount()).isEqualTo(2048);

        resources.targetsOffline(List.of(T));

        assertThat(held("g0.img")).as("closed before the demote").isFalse();
        assertThat(held("g1.img")).isFalse();
        assertThat(state(T, 0)).isEqualTo(STANDBY);
        assertThat(catalog.target(T).lun(0).store().blockCount()).as("READ CAPACITY's answer kept for the next"
                + " start, so a grown medium is announced").isEqualTo(2048);
        assertThat(held("local.img")).isTrue();
    }

    @Test
    void aLunThatDoesNotOpenFailsTheStepNamingItsLineAndNothingStaysOpen() throws Exception {
        start();
        create("g0.img"); // g1.img missing: the start must fail, so the lifecycle undoes it (demote)

        assertThatThrownBy(() -> resources.targetsOnline(List.of(T))).isInstanceOf(ConfigException.class)
                .hasMessage(conf + ":3: target " + T + " LUN 1: " + dir.resolve("g1.img") + " does not exist: create"
                        + " it (e.g. 'truncate -s 10G " + dir.resolve("g1.img") + "' for a fileio LUN) or correct"
                        + " Path= on the Lun line");

        assertThat(held("g0.img")).as("LUN 0 opened, then closed again so that DRBD can be demoted").isFalse();
        assertThat(state(T, 0)).isEqualTo(STANDBY);
        assertThat(state(T, 1)).isEqualTo(STANDBY);

        create("g1.img"); // fixed: the next start succeeds
        resources.targetsOnline(List.of(T));
        assertThat(state(T, 1)).isEqualTo("online");
    }

    @Test
    void aLunAReloadAddsOpensOnlyWhereItsGroupIsServed() throws Exception {
        start();
        create("g0.img");
        create("g1.img");
        create("g2.img");
        LunConfig added = new LunConfig(2, new StoreSpec(StoreType.FILEIO, dir.resolve("g2.img"), IoMode.WT, 0, 0),
                null, null);

        catalog.target(T).addLun(added, true); // the standby node: the peer serves the group
        resources.bringOnlineAdded(groups);
        assertThat(held("g2.img")).as("not served here: the device is the peer's").isFalse();
        assertThat(state(T, 2)).isEqualTo(STANDBY);

        resources.targetsOnline(List.of(T));
        assertThat(held("g2.img")).isTrue();
        resources.targetsOffline(List.of(T));
        catalog.target(T).removeLun(2).close();

        resources.targetsOnline(List.of(T)); // the node serving the group gets the reload
        catalog.target(T).addLun(added, true);
        assertThat(held("g2.img")).as("opened lazily, in standby").isFalse();
        resources.bringOnlineAdded(groups);
        assertThat(held("g2.img")).isTrue();
        assertThat(state(T, 2)).isEqualTo("online");
    }

    @Test
    void anAdministratorCannotBringOnlineALunWhoseDeviceIsThePeers() throws Exception {
        start();
        TargetControl control = new TargetControl(catalog, ConfigFile.of(IetdConfParser.read(conf)));

        assertThatThrownBy(() -> control.online(T, 0)).isInstanceOf(ControlException.class)
                .hasMessage("LUN 0 of " + T + " belongs to a cluster group this server does not serve, so its device"
                        + " is not open here; bring it online on the server that serves the group (tandemctl cluster"
                        + " shows which), or move the group here with tandemctl switchover on that server");
        assertThat(state(T, 0)).isEqualTo(STANDBY);
    }
}
