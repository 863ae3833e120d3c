package org.tandem.server.ha;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.takeover.ClusterResources;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HaCfParser;
import org.tandem.ha.config.HaConfig;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.fencing.Fencer;
import org.tandem.ha.heartbeat.HeartbeatPacket.StateAck;
import org.tandem.ha.heartbeat.HeartbeatPacket.StateRecord;
import org.tandem.ha.takeover.ClusterNode;
import org.tandem.ha.takeover.GroupResources;
import org.tandem.ha.takeover.PingMonitor;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.reservation.ReservationState;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.session.TargetCatalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The peer's reservation copies reach the standby LUN; damaged, misaddressed or out-of-turn copies (a peer
 * that lies, or a configuration that differs) are logged and change nothing.
 */
class ReservationReplicationTest {
    /** The release's delayed session ends run here, as on the node's timer thread; shut down after each test. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private static final String T = "iqn.2026-11.org.tandem.test:ha";
    private static final ItNexus N = new ItNexus("iqn.i,i,0x400000000001", T + ",t,0x1");

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private ClusterNode node;
    private ReservationReplication replication;
    private LogicalUnit lun;

    @BeforeEach
    void start() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + T + "\n Lun 0 Type=nullio\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        List<ResourceGroup> groups = List.of(new ResourceGroup("ha", "a", List.of(), List.of(T), List.of()));
        HaConfig config = HaCfParser.parse(dir.resolve("ha.cf"), List.of("node a b", "keepalive 100ms",
                "deadtime 1", "ucast lo 127.0.0.1", "fencing none"));
        AuthKeys keys = AuthKeys.parse(dir.resolve("authkeys"), List.of("auth 1", "1 sha256 replication-test-key"));
        GroupResources neverRun = new ClusterResources(null, null, null, null,
                new TargetGroupResources(catalog, null, timers)); // no group starts here
        // Not started: the records and their listener are what is under test, not the heartbeats.
        node = new ClusterNode(config, groups, keys, "b", neverRun,
                new Fencer(config.fencing(), new CommandRunner(), Duration.ofSeconds(1)),
                new PingMonitor(List.of(), 100), 0, 0, List::of);
        TargetGroupResources.standby(catalog, groups);
        replication = new ReservationReplication(catalog, groups);
        replication.join(node);
        lun = catalog.target(T).lun(0);
    }

    @AfterEach
    void stop() {
        timers.shutdownNow();
        node.close();
        catalog.close();
    }

    private static ReservationState registered(int generation) {
        return new ReservationState(generation, List.of(new ReservationState.Registration(N, 0xabc)), N, 1);
    }

    @Test
    void theOwnersCopyReachesTheStandbyLunAndWhatIsWrongChangesNothing() {
        String key = ReservationReplication.key(T, 0);
        assertThat(node.records().received(new StateRecord(key, 1, registered(3).encode())))
                .isEqualTo(new StateAck(key, 1));
        assertThat(lun.reservations().state()).isEqualTo(registered(3));

        // Damaged bytes under a good signature: acknowledged (so the peer stops resending), logged, not applied.
        node.records().received(new StateRecord(key, 2, "not a reservation state".getBytes(StandardCharsets.UTF_8)));
        assertThat(lun.reservations().state()).isEqualTo(registered(3));
        // A LUN or key this node does not have, and a key that is not a reservation record: logged, ignored.
        node.records().received(new StateRecord(ReservationReplication.key(T, 9), 1, registered(4).encode()));
        node.records().received(new StateRecord("pr " + T, 1, registered(4).encode()));
        node.records().received(new StateRecord("pr " + T + " zero", 1, registered(4).encode()));
        assertThat(lun.reservations().state()).isEqualTo(registered(3));

        // While this node serves the LUN, a copy from the peer is out of turn: not applied.
        lun.bringOnline();
        node.records().received(new StateRecord(key, 3, ReservationState.EMPTY.encode()));
        assertThat(lun.reservations().state()).isEqualTo(registered(3));

        // Starting the group here applies the newest copy held (a standby LUN may have missed it).
        lun.takeOffline(SenseReason.TARGET_PORT_IN_STANDBY_STATE);
        replication.restore(List.of(T));
        assertThat(lun.reservations().state()).isEqualTo(ReservationState.EMPTY);
        assertThat(lun.reservationMirror()).as("the LUN copies its own changes from now on")
                .isNotSameAs(org.tandem.scsi.reservation.ReservationMirror.NONE);
    }
}
