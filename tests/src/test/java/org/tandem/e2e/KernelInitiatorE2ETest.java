package org.tandem.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tandem against the initiator its users run: the Linux kernel's iscsi_tcp with open-iscsi, in a User-Mode Linux
 * guest ({@link UmlGuest}) on a bridge in a network namespace of this test ({@link TestbedNetwork}). The target
 * is the built jar in its own process in that namespace, with the ietd.conf each test asks for, listening on the
 * bridge. One guest serves the whole class (it boots in a few seconds); each test logs out and forgets its nodes.
 * A daemon keeps running into the next test when that test asks for the same configuration (starting a JVM on
 * this shared 2-core machine costs seconds); its log lines are then read from the test's own start on.
 */
class KernelInitiatorE2ETest {
    private static final String PREFIX = "iqn.2026-11.org.tandem.test:";
    private static final String OPEN = PREFIX + "open";
    private static final String ONE_WAY = PREFIX + "oneway";
    private static final String MUTUAL = PREFIX + "mutual";
    private static final String PORTAL = TestbedNetwork.bridgeAddress() + ":3260";

    /** The accounts of the targets above (IncomingUser: the initiator's; OutgoingUser: the target's). */
    private static final String USER = "kvmhost";
    private static final String SECRET = "kvmhostsecret1";
    private static final String TARGET_USER = "storage";
    private static final String TARGET_SECRET = "storagesecret1";

    private static final String THREE_TARGETS = """
            Target %s
                Lun 0 Path=open.img,Type=fileio,IOMode=wb,ScsiSN=KOPEN0
            Target %s
                IncomingUser %s %s
                Lun 0 Path=oneway.img,Type=fileio,IOMode=wb
            Target %s
                IncomingUser %s %s
                OutgoingUser %s %s
                Lun 0 Path=mutual.img,Type=fileio,IOMode=wb
            """.formatted(OPEN, ONE_WAY, USER, SECRET, MUTUAL, USER, SECRET, TARGET_USER, TARGET_SECRET);

    private static TestbedNetwork network;
    private static UmlGuest guest;
    private static KernelInitiator initiator;
    private static Path bed;

    /** The running daemon, the configuration it was started with and the directory of its files. */
    private static DaemonProcess target;
    private static String targetConfig;
    private static Path dir;
    private static int configurations;

    /** How many of the daemon's log lines were there before this test: its own lines come after. */
    private int logMark;

    @BeforeAll
    static void bootGuest() throws Exception {
        UmlGuest.assumeBootable();
        for (String tool : List.of("iscsiadm", "iscsid", "iscsistart")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/sbin", tool)), tool + " is missing: apt-get install open-iscsi");
        }
        for (String tool : List.of("sg_vpd", "sg_persist", "sg_rtpg", "sg_reset")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin", tool)), tool + " is missing: apt-get install sg3-utils");
        }
        DaemonProcess.jar();
        network = TestbedNetwork.create();
        bed = Files.createTempDirectory("tandem-uml-");
        guest = UmlGuest.boot(network, "initiator", 10, 256, bed);
        System.out.println("kernel initiator guest booted in " + guest.bootMillis() + " ms");
        initiator = new KernelInitiator(guest);
        initiator.start();
    }

    @AfterAll
    static void powerOff() throws Exception {
        try {
            if (target != null) {
                target.close();
            }
            if (guest != null) {
                guest.close();
            }
        } finally {
            if (network != null) {
                network.close();
            }
            if (bed != null) {
                try (Stream<Path> files = Files.walk(bed)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @AfterEach
    void logout() {
        if (initiator != null) {
            initiator.logoutAll();
        }
    }

    /**
     * Makes sure the daemon on the bridge serves {@code config}: keeps the running one if it has that
     * configuration, otherwise stops it and starts one with {@code config} as ietd.conf in a fresh directory, with
     * the fileio LUN files named made 64 MiB.
     */
    private DaemonProcess startTarget(String config, String... lunFiles) throws Exception {
        if (target != null && target.process().isAlive() && config.equals(targetConfig)) {
            logMark = target.lines().size();
            return target;
        }
        if (target != null) {
            target.close();
            target = null;
        }
        dir = Files.createDirectories(bed.resolve("target" + ++configurations));
        for (String f : lunFiles) {
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(f).toFile(), "rw")) {
                raf.setLength(64L << 20);
            }
        }
        Files.writeString(dir.resolve("ietd.conf"), config);
        DaemonProcess d = DaemonProcess.startIn(network, "--config", dir.resolve("ietd.conf").toString(),
                "--portal", PORTAL, "--no-admin");
        d.waitFor("Tandem serving");
        target = d;
        targetConfig = config;
        logMark = 0;
        return d;
    }

    /** The daemon's log lines since this test began. */
    private List<String> targetLog() {
        List<String> all = target.lines();
        return all.subList(Math.min(logMark, all.size()), all.size());
    }

    private String log() {
        return "target's log:\n" + String.join("\n", targetLog());
    }

    /** Waits (at most 30 s) for a line of this test's part of the daemon's log to contain {@code text}. */
    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (targetLog().stream().noneMatch(l -> l.contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(targetLog()).as(log()).anyMatch(l -> l.contains(text));
    }

    /** SHA-256 of the first {@code mib} MiB at {@code offsetMib} of a LUN's backing file, read here on the host. */
    private String backingChecksum(String file, int offsetMib, int mib) throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            in.skipNBytes((long) offsetMib << 20);
            sha.update(in.readNBytes(mib << 20));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    enum Chap { NONE, ONE_WAY, MUTUAL }

    static Stream<Arguments> logins() {
        List<Arguments> all = new ArrayList<>();
        for (Chap chap : Chap.values()) {
            all.add(Arguments.of(chap, false));
            all.add(Arguments.of(chap, true));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "CHAP {0}, CRC32C digests {1}")
    @MethodSource("logins")
    void iscsiadmLoginWritesAndReadsBack32MiBWithODirect(Chap chap, boolean digests) throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        String name = switch (chap) {
            case NONE -> OPEN;
            case ONE_WAY -> ONE_WAY;
            case MUTUAL -> MUTUAL;
        };
        Map<String, String> settings = new LinkedHashMap<>();
        if (chap != Chap.NONE) {
            settings.put("node.session.auth.authmethod", "CHAP");
            settings.put("node.session.auth.username", USER);
            settings.put("node.session.auth.password", SECRET);
        }
        if (chap == Chap.MUTUAL) {
            settings.put("node.session.auth.username_in", TARGET_USER);
            settings.put("node.session.auth.password_in", TARGET_SECRET);
        }
        String digest = digests ? "CRC32C" : "None";
        settings.put("node.conn[0].iscsi.HeaderDigest", digest);
        settings.put("node.conn[0].iscsi.DataDigest", digest);

        Tools.Result login = initiator.login(name, PORTAL, settings);
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics() + "\n" + log()).isZero();
        int sid = initiator.sessionOf(name);
        assertThat(initiator.ok(20, "iscsiadm -m session -r " + sid + " -P2"))
                .contains("HeaderDigest: " + digest).contains("DataDigest: " + digest);
        assertThat(targetLog()).as(log())
                .anyMatch(l -> l.contains("login: ") && l.contains("HeaderDigest=" + digest)
                        && l.contains("DataDigest=" + digest));

        String disk = initiator.disk(sid);
        String written = initiator.writeAndVerify(disk, 0, 32);
        String file = name.substring(PREFIX.length()) + ".img";
        assertThat(backingChecksum(file, 0, 32)).as("the LUN file on the target's side").isEqualTo(written);
        System.out.printf("kernel initiator: CHAP %s, digests %s: 32 MiB written and read back with O_DIRECT, the"
                + " same on the target's file (SHA-256 %s...)%n", chap, digest, written.substring(0, 12));
    }

    /**
     * Each CHAP algorithm open-iscsi 2.1 offers (node.session.auth.chap_algs), mutual CHAP so both directions
     * are checked: the target must pick the one offered and log it.
     */
    @ParameterizedTest(name = "chap_algs {0}")
    @ValueSource(strings = {"MD5", "SHA1", "SHA256", "SHA3-256"})
    void everyChapAlgorithmAuthenticatesBothWays(String algorithm) throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.session.auth.authmethod", "CHAP");
        settings.put("node.session.auth.chap_algs", algorithm);
        settings.put("node.session.auth.username", USER);
        settings.put("node.session.auth.password", SECRET);
        settings.put("node.session.auth.username_in", TARGET_USER);
        settings.put("node.session.auth.password_in", TARGET_SECRET);
        Tools.Result login = initiator.login(MUTUAL, PORTAL, settings);
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics() + "\n" + log()).isZero();
        String logged = switch (algorithm) {
            case "SHA1" -> "SHA-1";
            case "SHA256" -> "SHA-256";
            default -> algorithm;
        };
        assertThat(targetLog()).as(log()).anyMatch(l -> l.contains("login: ") && l.contains(MUTUAL)
                && l.contains("CHAP user " + USER + " (" + logged + ", mutual as " + TARGET_USER + ")"));
        int sid = initiator.sessionOf(MUTUAL);
        String written = initiator.writeAndVerify(initiator.disk(sid), 0, 4);
        assertThat(backingChecksum("mutual.img", 0, 4)).isEqualTo(written);
        System.out.printf("kernel initiator: mutual CHAP with chap_algs %s logged in as %s%n", algorithm, logged);
    }

    /**
     * IET's classic settings: small data segments (8 KiB both ways, so a 1 MiB write is 128 Data-Out PDUs),
     * unsolicited and immediate data up to FirstBurstLength, and the target pinging the initiator every second.
     */
    @Test
    void ietStyleSmallSegmentsUnsolicitedDataAndTargetPings() throws Exception {
        startTarget("""
                Target %s
                    Lun 0 Path=open.img,Type=fileio,IOMode=wt
                    InitialR2T No
                    ImmediateData Yes
                    MaxRecvDataSegmentLength 8192
                    MaxXmitDataSegmentLength 8192
                    FirstBurstLength 65536
                    MaxBurstLength 262144
                    NOPInterval 1
                    NOPTimeout 5
                """.formatted(OPEN), "open.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of("node.session.iscsi.InitialR2T", "No",
                "node.session.iscsi.ImmediateData", "Yes"));
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics() + "\n" + log()).isZero();
        int sid = initiator.sessionOf(OPEN);
        assertThat(initiator.ok(20, "iscsiadm -m session -r " + sid + " -P2"))
                .contains("MaxXmitDataSegmentLength: 8192").contains("FirstBurstLength: 65536")
                .contains("ImmediateData: Yes").contains("InitialR2T: No");
        // Idle for two of the target's ping intervals: the session must still be there afterwards.
        initiator.ok(20, "sleep 2");
        String written = initiator.writeAndVerify(initiator.disk(sid), 0, 32);
        assertThat(backingChecksum("open.img", 0, 32)).isEqualTo(written);
        assertThat(initiator.sessionOf(OPEN)).isEqualTo(sid);
        assertThat(initiator.ok(10, "cat /sys/class/iscsi_session/session" + sid + "/state").strip())
                .isEqualTo("LOGGED_IN");
        assertThat(targetLog()).as(log()).noneMatch(l -> l.contains("connection lost") || l.contains("no answer to NOP-In"));
    }

    /** The kernel's scan (REPORT LUNS, then INQUIRY and READ CAPACITY per LUN) finds LUNs 0, 1 and 7. */
    @Test
    void theKernelScanFindsEveryLun() throws Exception {
        startTarget("""
                Target %s
                    Lun 0 Path=open.img,Type=fileio
                    Lun 1 Type=nullio,Blocks=4096,BlockSize=4096
                    Lun 7 Type=nullio,Blocks=100000
                """.formatted(OPEN), "open.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of());
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        int sid = initiator.sessionOf(OPEN);
        initiator.disk(sid);
        String luns = initiator.ok(40, """
                for i in $(seq 300); do
                  [ $(ls -d /sys/class/iscsi_session/session%d/device/target*/*/block/* 2>/dev/null | wc -l) -ge 3 ] && break
                  sleep 0.1
                done
                for b in /sys/class/iscsi_session/session%d/device/target*/*/block/*; do
                  d=$(basename $b); lun=$(basename $(dirname $(dirname $b)) | cut -d: -f4)
                  echo "lun $lun $(blockdev --getss /dev/$d) $(blockdev --getsize64 /dev/$d)"
                done
                """.formatted(sid, sid));
        assertThat(luns.lines().sorted().toList()).as(luns).containsExactly(
                "lun 0 512 " + (64L << 20), "lun 1 4096 " + 4096L * 4096, "lun 7 512 " + 100000L * 512);
    }

    /**
     * An operator adds a LUN to ietd.conf and sends SIGHUP; the session keeps running, and a rescan (REPORT LUNS
     * again) attaches the new disk.
     */
    @Test
    void aLunAddedByReloadAppearsAfterARescan() throws Exception {
        String config = """
                Target %s
                    Lun 0 Path=open.img,Type=fileio
                """.formatted(OPEN);
        startTarget(config, "open.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of());
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        int sid = initiator.sessionOf(OPEN);
        String disk = initiator.disk(sid);

        Files.writeString(dir.resolve("ietd.conf"), config + "    Lun 2 Type=nullio,Blocks=8192\n");
        targetConfig = null; // the file no longer says what the test asked for: no later test may reuse it
        assertThat(Tools.run(10, "kill", "-HUP", String.valueOf(target.pid())).ok()).isTrue();
        awaitLog("reload of ");
        initiator.ok(60, "iscsiadm -m session -r " + sid + " --rescan");
        String lun2 = initiator.ok(40, """
                for i in $(seq 300); do
                  for b in /sys/class/iscsi_session/session%d/device/target*/*:2/block/*; do
                    [ -e "$b" ] && { blockdev --getsize64 /dev/$(basename $b); exit 0; }
                  done
                  sleep 0.1
                done
                echo "LUN 2 did not appear"; exit 1
                """.formatted(sid));
        assertThat(lun2.strip()).isEqualTo(String.valueOf(8192L * 512));
        assertThat(initiator.sessionOf(OPEN)).isEqualTo(sid);
        initiator.writeAndVerify(disk, 0, 1);
    }

    @Test
    void wrongChapSecretsAreRefusedBothWays() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result wrongSecret = initiator.login(ONE_WAY, PORTAL, Map.of("node.session.auth.authmethod", "CHAP",
                "node.session.auth.username", USER, "node.session.auth.password", "notthesecret12"));
        assertThat(wrongSecret.exit()).as(wrongSecret.output()).isNotZero();
        assertThat(wrongSecret.output()).contains("authorization failure");
        Tools.Result noChap = initiator.login(ONE_WAY, PORTAL, Map.of());
        assertThat(noChap.exit()).as(noChap.output()).isNotZero();
        // Mutual: the initiator itself refuses a target that does not know the secret it expects.
        Tools.Result wrongTarget = initiator.login(MUTUAL, PORTAL, Map.of("node.session.auth.authmethod", "CHAP",
                "node.session.auth.username", USER, "node.session.auth.password", SECRET,
                "node.session.auth.username_in", TARGET_USER, "node.session.auth.password_in", "notthesecret12"));
        assertThat(wrongTarget.exit()).as(wrongTarget.output()).isNotZero();
        assertThat(initiator.sessions()).isEmpty();
    }

    /**
     * A boot from an iSCSI disk: the initramfs logs in with iscsistart while no iscsid runs, then the booted system
     * starts iscsid, which adopts the session, and iscsiadm can log it out.
     */
    @Test
    void iscsistartLogsInWithMutualChapAndDigestsAndIscsidAdoptsTheSession() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        initiator.stopIscsid();
        Tools.Result start;
        try {
            start = initiator.iscsistart(MUTUAL, TestbedNetwork.bridgeAddress(), USER, SECRET, TARGET_USER,
                    TARGET_SECRET, true);
        } finally {
            initiator.startIscsid();
        }
        assertThat(start.exit()).as(start.output() + "\n" + initiator.diagnostics() + "\n" + log()).isZero();
        assertThat(targetLog()).as(log()).anyMatch(l -> l.contains("login: ")
                && l.contains("HeaderDigest=CRC32C") && l.contains("DataDigest=CRC32C"));
        int sid = initiator.sessionOf(MUTUAL);
        String written = initiator.writeAndVerify(initiator.disk(sid), 0, 32);
        assertThat(backingChecksum("mutual.img", 0, 32)).isEqualTo(written);
        Tools.Result logout = initiator.run(60, "iscsiadm -m session -r " + sid + " -u");
        assertThat(logout.exit()).as(logout.output() + "\n" + initiator.diagnostics()).isZero();
        assertThat(initiator.sessions()).isEmpty();
        awaitLog("logout: ");
    }

    @Test
    void sendTargetsListsEveryTarget() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result r = initiator.discover(PORTAL, null, null, null, null);
        assertThat(r.exit()).as(r.output() + "\n" + log()).isZero();
        assertThat(KernelInitiator.discoveredTargets(r.output())).containsExactlyInAnyOrder(OPEN, ONE_WAY, MUTUAL);
        assertThat(r.output()).contains(PORTAL + ",1 " + OPEN);
    }

    @Test
    void discoveryChapFromTheGlobalSection() throws Exception {
        startTarget("""
                IncomingUser disco discosecret12
                OutgoingUser discotarget discotargetsecret
                """ + THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result anonymous = initiator.discover(PORTAL, null, null, null, null);
        assertThat(anonymous.exit()).as(anonymous.output()).isNotZero();
        assertThat(KernelInitiator.discoveredTargets(anonymous.output())).isEmpty();

        Tools.Result oneWay = initiator.discover(PORTAL, "disco", "discosecret12", null, null);
        assertThat(oneWay.exit()).as(oneWay.output() + "\n" + initiator.diagnostics() + "\n" + log()).isZero();
        assertThat(KernelInitiator.discoveredTargets(oneWay.output())).containsExactlyInAnyOrder(OPEN, ONE_WAY,
                MUTUAL);
        Tools.Result mutual = initiator.discover(PORTAL, "disco", "discosecret12", "discotarget",
                "discotargetsecret");
        assertThat(mutual.exit()).as(mutual.output() + "\n" + initiator.diagnostics() + "\n" + log()).isZero();
        assertThat(KernelInitiator.discoveredTargets(mutual.output())).containsExactlyInAnyOrder(OPEN, ONE_WAY,
                MUTUAL);
        Tools.Result wrongTarget = initiator.discover(PORTAL, "disco", "discosecret12", "discotarget",
                "notthesecret12");
        assertThat(KernelInitiator.discoveredTargets(wrongTarget.output())).as(wrongTarget.output()).isEmpty();
    }

    @Test
    void sendTargetsListsAHundredTargets() throws Exception {
        StringBuilder config = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String name = PREFIX + "many%03d".formatted(i);
            names.add(name);
            config.append("Target ").append(name).append("\n    Lun 0 Type=nullio,Blocks=131072\n");
        }
        startTarget(config.toString());
        Tools.Result r = initiator.discover(PORTAL, null, null, null, null);
        assertThat(r.exit()).as(r.output() + "\n" + log()).isZero();
        assertThat(KernelInitiator.discoveredTargets(r.output())).containsExactlyInAnyOrderElementsOf(names);
        // and the last one listed is a target one can log in to
        Tools.Result login = initiator.login(names.get(99), PORTAL, Map.of());
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        String disk = initiator.disk(initiator.sessionOf(names.get(99)));
        assertThat(initiator.ok(20, "blockdev --getsize64 " + disk).strip()).isEqualTo(String.valueOf(131072L * 512));
    }

    @Test
    void loginAndLogout() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of());
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        assertThat(login.output()).contains("Login to [iface: default, target: " + OPEN).contains("successful");
        int sid = initiator.sessionOf(OPEN);
        String disk = initiator.disk(sid);
        assertThat(initiator.ok(20, "cat /sys/class/iscsi_session/session" + sid + "/targetname").strip())
                .isEqualTo(OPEN);
        assertThat(initiator.ok(20, "cat /sys/class/iscsi_session/session" + sid + "/initiatorname").strip())
                .isEqualTo(KernelInitiator.NAME);
        assertThat(targetLog()).anyMatch(l -> l.contains("login: ") && l.contains(KernelInitiator.NAME));

        Tools.Result logout = initiator.run(60, "iscsiadm -m node -T " + OPEN + " -p " + PORTAL + " --logout");
        assertThat(logout.exit()).as(logout.output()).isZero();
        assertThat(logout.output()).contains("Logout of [sid: " + sid).contains("successful");
        assertThat(initiator.sessions()).isEmpty();
        assertThat(initiator.run(10, "test -e " + disk).exit()).as(disk + " is gone").isNotZero();
        awaitLog("logout: ");
    }

    @Test
    void sessionSurvivesARestartOfTheTarget() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of());
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        int sid = initiator.sessionOf(OPEN);
        String disk = initiator.disk(sid);
        String before = initiator.writeAndVerify(disk, 0, 16);

        target.kill();
        // Let the initiator see the connection go (the kernel of the dead daemon reset it) before the restart.
        Tools.Result lost = initiator.run(30, "for i in $(seq 100); do "
                + "grep -q LOGGED_IN /sys/class/iscsi_session/session" + sid + "/state || exit 0; sleep 0.1; done; "
                + "exit 1");
        assertThat(lost.exit()).as("the session leaves LOGGED_IN when the target dies").isZero();
        target = DaemonProcess.startIn(network, "--config", dir.resolve("ietd.conf").toString(), "--portal", PORTAL,
                "--no-admin");
        logMark = 0;
        target.waitFor("Tandem serving");
        // This write waits inside the kernel until iscsid has logged in again.
        String after = initiator.writeAndVerify(disk, 16, 16);
        assertThat(initiator.sessionOf(OPEN)).as("the same session, reconnected").isEqualTo(sid);
        assertThat(initiator.ok(10, "cat /sys/class/iscsi_session/session" + sid + "/state").strip())
                .isEqualTo("LOGGED_IN");
        assertThat(targetLog()).as(log()).anyMatch(l -> l.contains("login: "));
        assertThat(initiator.ok(10, "cat /run/iscsid.log"))
                .containsPattern("connection" + sid + ":0 is operational after recovery");
        assertThat(initiator.checksum(disk, 0, 16)).as("written before the restart").isEqualTo(before);
        assertThat(backingChecksum("open.img", 0, 16)).isEqualTo(before);
        assertThat(backingChecksum("open.img", 16, 16)).isEqualTo(after);
    }

    /**
     * A network outage the target does not notice (no pings from it, no traffic): the initiator's NOP-Outs go
     * unanswered, it drops the connection and, once the link is back, logs in again with the same ISID while the
     * target still holds the old connection; the session carries on and no write is lost.
     */
    @Test
    void sessionSurvivesANetworkOutageTheTargetDoesNotSee() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of("node.conn[0].timeo.noop_out_interval", "1",
                "node.conn[0].timeo.noop_out_timeout", "2"));
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        int sid = initiator.sessionOf(OPEN);
        String disk = initiator.disk(sid);
        String before = initiator.writeAndVerify(disk, 0, 8);

        // The agent's channel is the host file system, not the network, so the guest stays reachable.
        initiator.ok(30, "ip link set eth0 down; for i in $(seq 100); do "
                + "grep -q LOGGED_IN /sys/class/iscsi_session/session" + sid + "/state || break; sleep 0.1; done; "
                + "sleep 2; ip link set eth0 up");
        String after = initiator.writeAndVerify(disk, 8, 8);
        assertThat(initiator.sessionOf(OPEN)).isEqualTo(sid);
        assertThat(initiator.ok(10, "cat /sys/class/iscsi_session/session" + sid + "/state").strip())
                .isEqualTo("LOGGED_IN");
        assertThat(initiator.ok(10, "cat /run/iscsid.log"))
                .containsPattern("connection" + sid + ":0 is operational after recovery");
        // RFC 7143 6.3.5: a login with the ISID of a live session (and TSIH 0) reinstates it.
        awaitLog("session reinstatement: ");
        assertThat(initiator.checksum(disk, 0, 8)).isEqualTo(before);
        assertThat(backingChecksum("open.img", 0, 8)).isEqualTo(before);
        assertThat(backingChecksum("open.img", 8, 8)).isEqualTo(after);
    }

    @Test
    void sg3UtilsThroughTheKernelsScsiLayer() throws Exception {
        startTarget(THREE_TARGETS, "open.img", "oneway.img", "mutual.img");
        Tools.Result login = initiator.login(OPEN, PORTAL, Map.of());
        assertThat(login.exit()).as(login.output() + "\n" + initiator.diagnostics()).isZero();
        String disk = initiator.disk(initiator.sessionOf(OPEN));
        String sg = initiator.genericOf(disk);

        String serial = initiator.ok(20, "sg_vpd --page=0x80 " + disk);
        assertThat(serial).contains("Unit serial number: KOPEN0");
        String ids = initiator.ok(20, "sg_vpd --page=0x83 " + disk);
        assertThat(ids).contains("designator type: NAA").contains("vendor id: TANDEM")
                .contains("Relative target port: 0x1").contains("Target port group: 0x1")
                .contains(OPEN + ",t,0x0001");

        initiator.ok(20, "sg_persist --out --register --param-sark=0xabc123 " + sg);
        assertThat(initiator.ok(20, "sg_persist --in --read-keys " + sg)).contains("0xabc123");
        initiator.ok(20, "sg_persist --out --reserve --param-rk=0xabc123 --prout-type=1 " + sg);
        String reservation = initiator.ok(20, "sg_persist --in --read-reservation " + sg);
        assertThat(reservation).contains("Key=0xabc123").contains("Write Exclusive");
        initiator.ok(20, "sg_persist --out --release --param-rk=0xabc123 --prout-type=1 " + sg);
        assertThat(initiator.ok(20, "sg_persist --in --read-reservation " + sg)).contains("there is NO reservation");
        initiator.ok(20, "sg_persist --out --register --param-rk=0xabc123 --param-sark=0 " + sg);
        assertThat(initiator.ok(20, "sg_persist --in --read-keys " + sg)).contains("there are NO registered");

        assertThat(initiator.ok(20, "sg_rtpg --decode " + sg))
                .contains("target port group id : 0x1").contains("asymmetric access state : 0x00 (active/optimized)");

        initiator.ok(60, "sg_reset --device " + sg);
        awaitLog("LOGICAL UNIT RESET LUN 0 -> response 0");
        initiator.ok(60, "sg_reset --target " + sg);
        awaitLog("TARGET WARM RESET LUN 0 -> response 0");
        // the disk still works after both resets
        initiator.writeAndVerify(disk, 0, 1);
    }
}
