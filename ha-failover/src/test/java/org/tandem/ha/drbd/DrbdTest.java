package org.tandem.ha.drbd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.CapturedLog;
import org.tandem.ha.exec.CommandRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
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
            assertThat(drbd.promote("r0").primary()).isTrue();
            assertThat(drbd.promote("r0").primary()).as("already Primary: nothing to do").isTrue();
            assertThat(drbd.demote("r0").primary()).isFalse();
            assertThat(Files.readString(dir.resolve("calls"))).contains("primary r0", "secondary r0");
            Files.delete(dir.resolve("calls"));
        }
    }

    @Test
    void refusesToPromoteAnOutdatedDisk() throws Exception {
        Path tool = standIn(9, "Outdated");
        Drbd drbd = new Drbd(new CommandRunner(), tool.toString(), tool.toString(), noProc(), Duration.ofSeconds(5));
        assertThatThrownBy(() -> drbd.promote("r0")).hasMessageContaining("its disk is Outdated, not UpToDate");
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
}
