package org.tandem.ha.drbd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.CapturedLog;
import org.tandem.ha.exec.CommandRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DRBD's tools cannot run here (no kernel module), so: recorded-format outputs for the parsers, and a stand-in
 * executable, named as such, that keeps a role in a file and answers as drbdadm/drbdsetup 9 or 8.x do.
 */
class DrbdTest {
    @TempDir
    Path dir;

    /** DRBD 9 drbdsetup status --json for a Secondary with an UpToDate disk and a Primary, connected peer. */
    private static final String STATUS_9 = """
            [ { "name": "r0", "node-id": 1, "role": "Secondary", "suspended": false,
                "devices": [ { "volume": 0, "minor": 0, "disk-state": "UpToDate", "size": 1048576 },
                             { "volume": 1, "minor": 1, "disk-state": "UpToDate", "size": 1048576 } ],
                "connections": [ { "peer-node-id": 0, "name": "storage1", "connection-state": "Connected",
                    "peer-role": "Primary",
                    "peer_devices": [ { "volume": 0, "replication-state": "Established",
                                        "peer-disk-state": "UpToDate" } ] } ] },
              { "name": "r1", "node-id": 1, "role": "Secondary",
                "devices": [ { "volume": 0, "disk-state": "UpToDate" }, { "volume": 1, "disk-state": "Outdated" } ],
                "connections": [] } ]
            """;

    /** Where no /proc/drbd is: these tests must not read the host's. */
    private Path noProc() {
        return dir.resolve("no-proc-drbd");
    }

    private Drbd drbd(FakeDrbd84 fake, Path proc) {
        return new Drbd(fake, "drbdadm", "drbdsetup", proc, Duration.ofSeconds(5));
    }

    /** DRBD 8.4 with r0 on minor 0 and its /proc/drbd; the commands named fail. */
    private FakeDrbd84 drbd84(String... failing) {
        FakeDrbd84 fake = new FakeDrbd84(dir.resolve("proc-drbd"), 0);
        fake.failing.addAll(List.of(failing));
        return fake;
    }

    @Test
    void readsDrbd9Json() throws Exception {
        DrbdStatus r0 = Drbd.parseJson("r0", STATUS_9);
        assertThat(r0).isEqualTo(new DrbdStatus("r0", "Secondary", "UpToDate", "Primary", "UpToDate", "Connected"));
        assertThat(r0.peerPrimary()).isTrue();
        DrbdStatus r1 = Drbd.parseJson("r1", STATUS_9);
        assertThat(r1.diskState()).as("the worst volume counts").isEqualTo("Outdated");
        assertThat(r1.connectionState()).isEqualTo("StandAlone");
        assertThatThrownBy(() -> Drbd.parseJson("r9", STATUS_9)).hasMessageContaining("does not list resource r9");
        assertThatThrownBy(() -> Drbd.parseJson("r0", "not json")).hasMessageContaining("cannot read");
    }

    @Test
    void readsDrbd8RoleAndDiskState() throws Exception {
        DrbdStatus s = Drbd.parse8("r0", "Primary/Secondary", "UpToDate/Inconsistent", "SyncSource");
        assertThat(s.primary()).isTrue();
        assertThat(s.peerDiskState()).isEqualTo("Inconsistent");
        assertThatThrownBy(() -> Drbd.parse8("r0", "Primary", "UpToDate", "x")).hasMessageContaining("unexpected");
    }

    /** Writes the stand-in: one script playing drbdadm and drbdsetup of DRBD {@code version}, role in a file. */
    private Path standIn(int version, String disk) throws Exception {
        Path role = dir.resolve("role");
        Files.writeString(role, "Secondary");
        Path script = dir.resolve("drbd-standin-" + version);
        Files.writeString(script, """
                #!/bin/sh
                # Stand-in for DRBD's tools in tests: not DRBD. Plays drbdadm and drbdsetup (version %d).
                state=%s
                echo "$*" >> %s
                case "$1" in
                  status)
                    [ %d = 9 ] || { echo "drbdsetup: unrecognized option '--json'" >&2; exit 20; }
                    printf '[{"name":"%%s","role":"%%s","devices":[{"volume":0,"disk-state":"%s"}],"connections":[]}]\\n' "$2" "$(cat $state)" ;;
                  role) echo "$(cat $state)/Unknown" ;;
                  dstate) echo "%s/DUnknown" ;;
                  cstate) echo "StandAlone" ;;
                  primary) echo Primary > $state ;;
                  secondary) echo Secondary > $state ;;
                  *) echo "unknown command $1" >&2; exit 1 ;;
                esac
                """.formatted(version, role, dir.resolve("calls"), version, disk, disk));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void promotesAndDemotesThroughTheToolsAndChecksTheRole() throws Exception {
        for (int version : new int[] {9, 8}) {
            Path tool = standIn(version, "UpToDate");
            Drbd drbd = new Drbd(new CommandRunner(), tool.toString(), tool.toString(), noProc(), Duration.ofSeconds(5));
            assertThat(drbd.status("r0").primary()).isFalse();
            drbd.promote("r0", false);
            assertThat(drbd.status("r0").primary()).isTrue();
            drbd.promote("r0", false);
            assertThat(drbd.status("r0").primary()).as("already Primary: nothing to do").isTrue();
            drbd.demote("r0");
            assertThat(drbd.status("r0").primary()).isFalse();
            assertThat(Files.readString(dir.resolve("calls"))).contains("primary r0", "secondary r0");
            Files.delete(dir.resolve("calls"));
        }
    }

    @Test
    void refusesToPromoteAnOutdatedDisk() throws Exception {
        Path tool = standIn(9, "Outdated");
        Drbd drbd = new Drbd(new CommandRunner(), tool.toString(), tool.toString(), noProc(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> drbd.promote("r0", false)).hasMessageContaining("its disk is Outdated, not UpToDate");
        assertThat(Files.readString(dir.resolve("calls"))).doesNotContain("primary");
    }

    @Test
    void aHangingToolTimesOutInsteadOfHangingTheCluster() throws Exception {
        Path slow = dir.resolve("drbd-standin-hangs");
        Files.writeString(slow, "#!/bin/sh\nsleep 30\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwx------"));
        Drbd drbd = new Drbd(new CommandRunner(), slow.toString(), slow.toString(), noProc(), Duration.ofMillis(300));
        long start = System.nanoTime();
        assertThatThrownBy(() -> drbd.status("r0")).hasMessageContaining("timed out");
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void drbd8StateComesFromProcDrbdWithTheMinorsAskedOnce() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 0);
        Drbd drbd = drbd(fake, proc);
        assertThat(drbd.status("r0")).isEqualTo(new DrbdStatus("r0", "Secondary", "UpToDate", "Primary", "UpToDate",
                "Connected"));
        assertThat(drbd.status("r0").peerPrimary()).isTrue();
        assertThat(fake.take()).as("one process for two reads, none of them drbdsetup")
                .containsExactly("drbdadm sh-minor r0");
    }

    @Test
    void aResourceWithSeveralVolumesShowsItsWorstDisks() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 3, 4);
        Files.writeString(proc, """
                version: 8.4.11 (api:1/proto:86-101)
                 3: cs:SyncSource ro:Primary/Secondary ds:UpToDate/Inconsistent C r-----
                 4: cs:SyncSource ro:Primary/Secondary ds:Outdated/UpToDate C r-----
                """);
        assertThat(drbd(fake, proc).status("r0")).isEqualTo(new DrbdStatus("r0", "Primary", "Outdated", "Secondary",
                "Inconsistent", "SyncSource"));
    }

    @Test
    void aMinorProcDrbdDoesNotListIsAskedOfDrbdadm() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 0, 1);
        Files.writeString(proc, ProcDrbdTest.DRBD_84.replace(" 1: cs:SyncSource", " 7: cs:SyncSource"));
        fake.role = "Primary";
        fake.peerRole = "Secondary";
        fake.peerDisk = "Inconsistent";
        fake.cstate = "SyncSource";
        assertThat(drbd(fake, proc).status("r0")).isEqualTo(new DrbdStatus("r0", "Primary", "UpToDate", "Secondary",
                "Inconsistent", "SyncSource"));
        assertThat(fake.take()).as("8.x is known from the file: no drbdsetup")
                .containsExactly("drbdadm sh-minor r0", "drbdadm role r0", "drbdadm dstate r0", "drbdadm cstate r0");
    }

    @Test
    void withoutProcDrbdAFailedJsonIsRememberedAndDrbdadmAskedFromThenOn() throws Exception {
        FakeDrbd84 fake = new FakeDrbd84(null, 0);
        Drbd drbd = drbd(fake, noProc());
        try (CapturedLog log = new CapturedLog()) {
            assertThat(drbd.status("r0").connectionState()).isEqualTo("Connected");
            assertThat(drbd.status("r0").connectionState()).isEqualTo("Connected");
            assertThat(log.lines()).filteredOn(l -> l.contains("drbdsetup gives no status --json")).hasSize(1);
        }
        assertThat(fake.take()).containsExactly("drbdsetup status r0 --json", "drbdadm role r0", "drbdadm dstate r0",
                "drbdadm cstate r0", "drbdadm role r0", "drbdadm dstate r0", "drbdadm cstate r0");
    }

    @Test
    void aJsonThatTimedOutIsAskedAgain() throws Exception {
        FakeDrbd84 fake = new FakeDrbd84(null, 0);
        fake.timingOut.add("drbdsetup status r0 --json");
        Drbd drbd = drbd(fake, noProc());
        drbd.status("r0");
        drbd.status("r0");
        assertThat(fake.take()).filteredOn(c -> c.startsWith("drbdsetup")).hasSize(2);
    }

    @Test
    void drbd9IsReadFromJsonEvenWithItsProcDrbd() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        Files.writeString(proc, "version: 9.2.8 (api:2/proto:86-122)\nTransports (api:20): tcp (9.2.8)\n");
        CommandRunner nine = new CommandRunner() {
            @Override
            public Result run(List<String> command, Duration timeout) {
                return new Result(command, 0, STATUS_9, 1);
            }
        };
        assertThat(new Drbd(nine, "drbdadm", "drbdsetup", proc, Duration.ofSeconds(5)).status("r0").peerPrimary())
                .isTrue();
    }

    /** The rule of a forced disconnect: only a fenced peer, only while DRBD still counts it as connected. */
    @Test
    void theForcedDisconnectDecisionTable() {
        for (String cstate : List.of("Connected", "SyncSource", "SyncTarget", "WFBitMapS", "WFReportParams",
                "Disconnecting", "Ahead", "Unknown")) {
            DrbdStatus s = new DrbdStatus("r0", "Secondary", "UpToDate", "Primary", "UpToDate", cstate);
            assertThat(Drbd.forcedDisconnectNeeded(s, true)).as("fenced, " + cstate).isTrue();
            assertThat(Drbd.forcedDisconnectNeeded(s, false)).as("not fenced, " + cstate).isFalse();
        }
        for (String cstate : List.of("StandAlone", "WFConnection", "Unconnected", "Connecting", "Timeout",
                "BrokenPipe", "NetworkFailure", "ProtocolError", "TearDown")) {
            DrbdStatus s = new DrbdStatus("r0", "Secondary", "UpToDate", "Unknown", "DUnknown", cstate);
            assertThat(Drbd.forcedDisconnectNeeded(s, true)).as("fenced, " + cstate).isFalse();
            assertThat(Drbd.forcedDisconnectNeeded(s, false)).as("not fenced, " + cstate).isFalse();
        }
    }

    /** 8.4 after the peer's power went off: still Connected to a Primary for ping-int + ping-timeout. */
    @Test
    void aFencedPeerStillSeenConnectedIsDisconnectedThenPromotedThenWaitedFor() throws Exception {
        for (boolean withProc : new boolean[] {true, false}) {
            Path proc = withProc ? dir.resolve("proc-drbd") : noProc();
            FakeDrbd84 fake = new FakeDrbd84(withProc ? proc : null, 0);
            Drbd drbd = drbd(fake, proc);
            drbd.status("r0");
            fake.take();
            try (CapturedLog log = new CapturedLog()) {
                drbd.promote("r0", true);
                DrbdStatus after = drbd.status("r0");
                assertThat(after.primary()).isTrue();
                assertThat(after.connectionState()).isEqualTo("WFConnection");
                assertThat(log.lines()).filteredOn(l -> l.contains("drbdadm disconnect --force")).singleElement()
                        .asString().contains("INFO DRBD r0: the peer is fenced but DRBD still sees it Connected"
                                + " (peer Primary)", "would refuse a second Primary");
            }
            assertThat(fake.take()).as(withProc ? "with /proc/drbd" : "drbdadm only").filteredOn(c -> !c.contains(
                    "role") && !c.contains("state")).containsExactly("drbdadm disconnect --force r0",
                    "drbdadm primary r0", "drbdadm connect r0");
        }
    }

    @Test
    void withProcDrbdAPromoteAfterFencingCostsThreeProcesses() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 0);
        Drbd drbd = drbd(fake, proc);
        drbd.status("r0"); // at start, the clean-up reads the role: the minors are known from then on
        fake.take();
        drbd.promote("r0", true);
        assertThat(fake.take()).containsExactly("drbdadm disconnect --force r0", "drbdadm primary r0",
                "drbdadm connect r0");
        drbd.demote("r0");
        assertThat(fake.take()).containsExactly("drbdadm secondary r0");
    }

    /** Without /proc/drbd or JSON, a full 8.x status is three drbdadm runs; reading a promote back needs one. */
    @Test
    void withDrbdadmOnlyAPromoteReadsBackTheRoleAlone() throws Exception {
        FakeDrbd84 fake = new FakeDrbd84(null, 0);
        Drbd drbd = drbd(fake, noProc());
        drbd.status("r0"); // at start: drbdsetup gives no JSON, so drbdadm it is from now on
        fake.take();
        drbd.promote("r0", true); // the test's Drbd runs the reconnect at once, before the read-back
        assertThat(fake.take()).containsExactly("drbdadm role r0", "drbdadm dstate r0", "drbdadm cstate r0",
                "drbdadm disconnect --force r0", "drbdadm primary r0", "drbdadm connect r0", "drbdadm role r0");
        drbd.demote("r0");
        assertThat(fake.take()).containsExactly("drbdadm secondary r0", "drbdadm role r0");
        assertThat(fake.role).isEqualTo("Secondary");
    }

    @Test
    void theTakeoverDoesNotWaitForTheReconnect() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 0);
        List<Runnable> later = new ArrayList<>();
        Drbd drbd = new Drbd(fake, "drbdadm", "drbdsetup", proc, Duration.ofSeconds(5), later::add);
        drbd.status("r0");
        fake.take();

        drbd.promote("r0", true);
        assertThat(fake.role).isEqualTo("Primary");
        assertThat(fake.take()).as("the promote returns before the connect runs")
                .containsExactly("drbdadm disconnect --force r0", "drbdadm primary r0");
        assertThat(later).hasSize(1);

        later.get(0).run();
        assertThat(fake.take()).containsExactly("drbdadm connect r0");
    }

    @Test
    void aPeerThatWasNotFencedIsNeverDisconnectedAndTheRefusalStands() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 0);
        Drbd drbd = drbd(fake, proc);
        assertThatThrownBy(() -> drbd.promote("r0", false)).isInstanceOf(DrbdException.class)
                .hasMessageContaining("cannot promote r0: drbdadm primary r0: exit 11")
                .hasMessageContaining("Command 'drbdsetup-84 primary 0' terminated with exit code 11");
        assertThat(fake.take()).noneMatch(c -> c.contains("disconnect") || c.contains("connect r0"));
        assertThat(fake.role).isEqualTo("Secondary");
    }

    @Test
    void aFencedPeerDrbdNoLongerSeesIsNotDisconnected() throws Exception {
        Path proc = dir.resolve("proc-drbd");
        FakeDrbd84 fake = new FakeDrbd84(proc, 0);
        fake.cstate = "WFConnection";
        fake.peerRole = "Unknown";
        fake.peerDisk = "DUnknown";
        fake.writeProc();
        Drbd drbd = drbd(fake, proc);
        drbd.promote("r0", true);
        assertThat(fake.role).isEqualTo("Primary");
        assertThat(fake.take()).containsExactly("drbdadm sh-minor r0", "drbdadm primary r0");
    }

    @Test
    void aFailedReconnectIsLoggedNotFatal() throws Exception {
        FakeDrbd84 fake = drbd84("drbdadm connect r0");
        try (CapturedLog log = new CapturedLog()) {
            drbd(fake, dir.resolve("proc-drbd")).promote("r0", true);
            assertThat(fake.role).isEqualTo("Primary");
            assertThat(log.warnings()).singleElement().asString().contains("DRBD r0: cannot wait for the fenced peer"
                    + " again (drbdadm connect r0: exit 10", "'drbdadm connect r0' is run here");
        }
    }

    @Test
    void aRefusedPromoteAfterTheForcedDisconnectStillWaitsForThePeer() throws Exception {
        FakeDrbd84 fake = drbd84("drbdadm primary r0");
        assertThatThrownBy(() -> drbd(fake, dir.resolve("proc-drbd")).promote("r0", true))
                .hasMessageContaining("cannot promote r0: drbdadm primary r0: exit 10");
        assertThat(fake.take()).endsWith("drbdadm disconnect --force r0", "drbdadm primary r0", "drbdadm connect r0");
    }

    @Test
    void aForcedDisconnectThatFailsStopsThePromote() throws Exception {
        FakeDrbd84 fake = drbd84("drbdadm disconnect --force r0");
        assertThatThrownBy(() -> drbd(fake, dir.resolve("proc-drbd")).promote("r0", true))
                .hasMessageContaining("cannot drop the fenced peer's connection before promoting r0: drbdadm"
                        + " disconnect --force r0: exit 10");
        assertThat(fake.take()).doesNotContain("drbdadm primary r0", "drbdadm connect r0");
    }
}
