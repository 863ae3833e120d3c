package org.tandem.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failover on the real components ({@link UmlClusterBed}): real DRBD 8.4 on LVM in two User-Mode Linux guests,
 * Tandem's own {@code --ha} pair in them, fencing through a network power switch, and the Linux kernel's iSCSI
 * initiator in a third guest writing numbered blocks with O_DIRECT|O_DSYNC through the floating address
 * ({@link UmlWriter}). The figure that counts is the longest pause the initiator saw; each test prints it with
 * the survivor's steps. The tests share one bed and run in order; each starts and ends with both storage guests
 * on, both daemons joined, DRBD connected and in sync, and the group served by exactly one node.
 *
 * <p>The target allows DefaultTime2Wait 0; the initiator offers open-iscsi's default 2 (the result is the larger)
 * in the first switchover round and the first power-off runs, then 0, as the README advises, from power-off run
 * {@value #FIRST_RUN_WITHOUT_TIME2WAIT} on (and in the tests after it), so the figures show what the setting saves.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UmlFailoverE2ETest {
    /** Blocks the writer must have acknowledged before each fault, and after the takeover. */
    private static final int BLOCKS_BEFORE = 60;
    private static final int BLOCKS_AFTER = 60;
    private static final int POWER_OFF_RUNS = 5;
    /** Power-off runs from this one on log in with DefaultTime2Wait 0, as the README advises; before, 2 (default). */
    private static final int FIRST_RUN_WITHOUT_TIME2WAIT = 4;
    /** open-iscsi's node setting for the DefaultTime2Wait it offers; the target's ietd.conf allows 0. */
    private static final Map<String, String> NO_TIME2WAIT = Map.of("node.session.iscsi.DefaultTime2Wait", "0");

    private static UmlClusterBed bed;
    private static String disk;

    @BeforeAll
    static void startCluster() throws Exception {
        UmlClusterBed.assumeRunnable();
        bed = UmlClusterBed.create();
        long t = System.nanoTime();
        bed.startDaemon(UmlClusterBed.FIRST);
        bed.startDaemon(UmlClusterBed.SECOND);
        bed.awaitLog(UmlClusterBed.FIRST, "group db SERVING", 90);
        bed.figures().put("JVMs started, group db serving on " + UmlClusterBed.FIRST,
                UmlClusterBed.millisSince(t) + " ms");
        bed.awaitLog(UmlClusterBed.SECOND, "peer " + UmlClusterBed.FIRST + " alive", 60);
        for (String name : List.of(UmlClusterBed.FIRST, UmlClusterBed.SECOND)) {
            bed.figures().put("warm-up on " + name, bed.awaitWarmUp(name, 60));
        }
        login(Map.of());
        bed.figures().forEach((k, v) -> System.out.println("UML bed: " + k + ": " + v));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (bed != null) {
            // Who was powered off, by whom and when: the first thing to read when a guest was gone.
            System.out.println("UML power switch's log:\n" + bed.switchLog());
            for (String name : List.of(UmlClusterBed.FIRST, UmlClusterBed.SECOND)) {
                List<String> lines = steps(bed.log(name)).lines().toList();
                System.out.println("UML " + name + "'s cluster log, last lines:\n" + String.join("\n",
                        lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
            bed.close();
        }
    }

    /** Logs the initiator (out and) in through the floating address with these node settings; sets {@link #disk}. */
    private static void login(Map<String, String> settings) {
        KernelInitiator initiator = bed.initiator();
        initiator.logoutAll();
        Tools.Result login = initiator.login(UmlClusterBed.TARGET, UmlClusterBed.FLOATING + ":3260", settings);
        assertThat(login.exit()).as("login: " + login.output() + "\n" + initiator.diagnostics()).isZero();
        disk = initiator.disk(initiator.sessionOf(UmlClusterBed.TARGET));
    }

    /** The one storage guest that holds the floating address (waits a bounded time for exactly one). */
    private static String owner() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<String> holders = bed.holders();
        while (holders.size() != 1 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            holders = bed.holders();
        }
        assertThat(holders).as("storage guests holding " + UmlClusterBed.FLOATING).hasSize(1);
        return holders.get(0);
    }

    @Test
    @Order(1)
    void plannedSwitchoverAndFailbackOnRealDrbdGiveNoIoError() throws Exception {
        switchoverAndFailback(1, "DefaultTime2Wait 2 (open-iscsi's default)");
        login(NO_TIME2WAIT);
        try {
            switchoverAndFailback(2, "DefaultTime2Wait 0");
        } finally {
            login(Map.of());
        }
    }

    private void switchoverAndFailback(int round, String setting) throws Exception {
        String from = owner();
        String to = UmlClusterBed.peerOf(from);
        UmlWriter w = UmlWriter.start(bed.initiator(), disk, round);
        w.awaitBlocks(BLOCKS_BEFORE, 60);
        List<String> figures = new ArrayList<>();
        for (String[] move : List.of(new String[] {from, to}, new String[] {to, from})) {
            int mark = bed.log(move[1]).length();
            int releaseMark = bed.log(move[0]).length();
            int before = w.acknowledged();
            long t = System.nanoTime();
            Tools.Result r = bed.tandemctl(move[0], "switchover", "db");
            assertThat(r.exit()).as("tandemctl switchover db on " + move[0] + ": " + r.output()).isZero();
            bed.awaitLog(move[1], mark, "group db SERVING", 60);
            assertThat(bed.holders()).as("after the switchover to " + move[1]).containsExactly(move[1]);
            long served = UmlClusterBed.millisSince(t);
            int after = w.acknowledged();
            w.awaitBlocks(after + BLOCKS_AFTER, 60);
            figures.add("%s->%s: serving after %d ms, longest pause %.2f s".formatted(move[0], move[1], served,
                    w.longestPause(before, after + BLOCKS_AFTER)));
            System.out.println("UML switchover " + move[0] + "->" + move[1] + " steps on " + move[0] + ": "
                    + steps(bed.log(move[0]).substring(releaseMark)) + "\n steps on " + move[1] + ": "
                    + steps(bed.log(move[1]).substring(mark)) + "\n iscsid:\n"
                    + bed.initiator().ok(10, "tail -4 /run/iscsid.log; dmesg | grep -iE 'conn|session' | tail -4"));
        }
        UmlWriter.Finished f = w.finish();
        System.out.println("UML planned switchover and failback with " + setting + ": " + String.join("; ", figures)
                + "; " + f.check());
        f.assertClean("switchover and failback with " + setting);
    }

    @Test
    @Order(2)
    void powerOffOfTheOwnerUnderWriteLoadFiveTimesLosesNoAcknowledgedWrite() throws Exception {
        List<String> pauses = new ArrayList<>();
        for (int run = 1; run <= POWER_OFF_RUNS; run++) {
            if (run == FIRST_RUN_WITHOUT_TIME2WAIT) {
                login(NO_TIME2WAIT);
            }
            String setting = run < FIRST_RUN_WITHOUT_TIME2WAIT ? "DefaultTime2Wait 2" : "DefaultTime2Wait 0";
            String victim = owner();
            String survivor = UmlClusterBed.peerOf(victim);
            UmlWriter w = UmlWriter.start(bed.initiator(), disk, 10 + run);
            w.awaitBlocks(BLOCKS_BEFORE, 60);
            int mark = bed.log(survivor).length();
            int atPowerOff = w.acknowledged();
            long t = System.nanoTime();
            assertThat(bed.powerOff(victim)).as("the switch powers the owner off").isEqualTo("OFF");
            bed.awaitLog(survivor, mark, "group db SERVING", 60);
            long takeover = UmlClusterBed.millisSince(t);
            int atTakeover = w.acknowledged();
            w.awaitBlocks(atTakeover + BLOCKS_AFTER, 120);
            long resumed = UmlClusterBed.millisSince(t);
            UmlWriter.Finished f = w.finish();
            int last = f.last();
            double pause = w.longestPause(atPowerOff - 1, last);
            String figure = "run %d (%s): %s off, %s serving after %d ms, %d more blocks after %d ms, longest pause %.2f s;"
                    + " %.1f blocks/s before, %.1f after; %s";
            System.out.println("UML power-off " + figure.formatted(run, setting, victim, survivor, takeover, BLOCKS_AFTER,
                    resumed, pause, w.pace(0, atPowerOff - 1), w.pace(atTakeover + 1, last), f.check()));
            System.out.println("UML survivor's steps: " + steps(bed.log(survivor).substring(mark)));
            f.assertClean("power-off run " + run);
            pauses.add("%s off, %s: %.2f s".formatted(victim, setting, pause));
            Map<String, Long> back = bed.powerOn(victim);
            System.out.println("UML " + victim + " powered on again and rejoined: " + back);
        }
        System.out.println("UML power-off under load, " + POWER_OFF_RUNS + " runs, longest initiator-side pauses: "
                + pauses);
    }

    @Test
    @Order(3)
    void cutLinkBetweenTheServersLeavesExactlyOneServingAndTheOtherPoweredOff() throws Exception {
        String owner = owner();
        UmlWriter w = UmlWriter.start(bed.initiator(), disk, 3);
        w.awaitBlocks(BLOCKS_BEFORE, 60);
        int before = w.acknowledged();
        long t = System.nanoTime();
        bed.cutStorageLink(true);
        String off = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (off == null && System.nanoTime() < deadline) {
                for (String name : List.of(UmlClusterBed.FIRST, UmlClusterBed.SECOND)) {
                    if (!bed.guest(name).alive()) {
                        off = name;
                    }
                }
                Thread.sleep(100);
            }
        } finally {
            bed.cutStorageLink(false);
        }
        long fenced = UmlClusterBed.millisSince(t);
        assertThat(off).as("one of the storage guests was powered off by the other").isNotNull();
        String survivor = UmlClusterBed.peerOf(off);
        bed.awaitLog(survivor, "group db SERVING", 60);
        assertThat(owner()).as("the survivor serves").isEqualTo(survivor);
        int after = w.acknowledged();
        w.awaitBlocks(after + BLOCKS_AFTER, 120);
        UmlWriter.Finished f = w.finish();
        System.out.println(("UML link between the servers cut with %s serving: %s powered off after %d ms, %s serves;"
                + " longest pause %.2f s; %s").formatted(owner, off, fenced, survivor, w.longestPause(before, f.last()),
                f.check()));
        System.out.println("UML survivor's steps: " + steps(bed.log(survivor)));
        f.assertClean("link cut");
        System.out.println("UML " + off + " powered on again and rejoined: " + bed.powerOn(off));
    }

    @Test
    @Order(4)
    void crashedDaemonRestartedBeforeItIsFencedCleansUpAndNeverSharesTheAddress() throws Exception {
        String owner = owner();
        String peer = UmlClusterBed.peerOf(owner);
        UmlWriter w = UmlWriter.start(bed.initiator(), disk, 4);
        w.awaitBlocks(BLOCKS_BEFORE, 60);
        int before = w.acknowledged();
        // The owner's outlet fails: the peer cannot fence it, so it may not take over, and the restarted daemon
        // finds the address and the DRBD role its previous run left.
        assertThat(bed.powerSwitch("hold " + owner)).isEqualTo("HELD");
        List<String> both = new ArrayList<>();
        try {
            int ownerMark = bed.log(owner).length();
            int peerMark = bed.log(peer).length();
            bed.killDaemon(owner);
            bed.awaitLog(peer, peerMark, "fencing " + owner + " failed", 30);
            bed.startDaemon(owner);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!bed.log(owner).substring(ownerMark).contains("peer " + peer + " alive")
                    && System.nanoTime() < deadline) {
                List<String> holders = bed.holders();
                if (holders.size() > 1) {
                    both.add(holders.toString());
                }
                Thread.sleep(100);
            }
            bed.awaitLog(owner, ownerMark, "peer " + peer + " alive", 1);
            // Whoever the cluster gives the group to now: exactly one node, and the writer resumes.
            String serving = owner();
            int after = w.acknowledged();
            w.awaitBlocks(after + BLOCKS_AFTER, 120);
            UmlWriter.Finished f = w.finish();
            System.out.println(("UML crashed daemon on %s restarted while its outlet failed: %s serves; longest pause"
                    + " %.2f s; %s").formatted(owner, serving, w.longestPause(before, f.last()), f.check()));
            System.out.println("UML restarted daemon's log: " + steps(bed.log(owner).substring(ownerMark)));
            assertThat(both).as("samples with both nodes holding " + UmlClusterBed.FLOATING).isEmpty();
            assertThat(bed.log(owner).substring(ownerMark)).as("the restarted daemon removed what it held")
                    .contains("left over from an earlier run");
            f.assertClean("crashed daemon");
        } finally {
            bed.powerSwitch("release " + owner);
        }
    }

    /** The log lines about fencing, peers and starting or releasing the group (StepTiming's figures). */
    private static String steps(String log) {
        StringBuilder s = new StringBuilder();
        Matcher m = Pattern.compile("^.*(?:cluster: (?:fenc|peer|group db|starting|releasing|node)|fenced |group db: |"
                + "left over).*$", Pattern.MULTILINE).matcher(log);
        while (m.find()) {
            s.append("\n  ").append(m.group());
        }
        return s.toString();
    }
}
