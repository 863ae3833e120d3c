package org.tandem.e2e;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.iscsi.pdu.TextRequest;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.e2e.OneBlock.cdb;
import static org.tandem.e2e.OneBlock.pattern;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/** CmdSN games against the real server (RFC 7143 sections 3.2.2.1, 4.2.2.1, 11.6.1, 11.14). */
class CommandOrderingAttackE2ETest {
    private static final long ISID = 0x40000000000cL;
    private static final String KEYS = "InitiatorName=iqn.2026-11.org.tandem.test:attack\0TargetName="
            + TargetFixture.TARGET + "\0AuthMethod=None\0";
    private static final int BLOCK = OneBlock.BYTES;

    @TempDir
    Path dir;



    private static ScsiResponse testUnitReady(TestInitiator i, int itt, int cmdSn) throws Exception {
        i.command(new byte[16], itt, cmdSn);
        Object o = i.receive();
        assertThat(o).isInstanceOf(ScsiResponse.class);
        ScsiResponse r = (ScsiResponse) o;
        r.release();
        return r;
    }

    /**
     * The initiator retransmits a command it sent at CmdSN n+1 (same ITT, same CmdSN), then gives up on it with
     * ABORT TASK. If the target answers Function Complete, the write must not run when CmdSN n arrives: RFC 7143
     * section 11.6.1, Function Complete means the task is gone. (It once ran and overwrote the block.)
     */
    @Test
    void aRetransmittedHeldWriteIsStillAbortedByAbortTask() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "Wthreads 1");
             TestInitiator i = new TestInitiator(t.port())) {
            int n = i.login(TargetFixture.TARGET).expCmdSn();
            testUnitReady(i, 0x1, n++);
            i.write(cdb(0x2a), 0xb, n + 1, pattern('B'));
            i.write(cdb(0x2a), 0xb, n + 1, pattern('B')); // retransmission
            i.send(new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK, 0, 0x77, 0xb, n + 2, 0, n + 1,
                    0));
            Object o = i.receive();
            assertThat(o).isInstanceOf(TaskManagementResponse.class);
            TaskManagementResponse abort = (TaskManagementResponse) o;
            abort.release();
            i.write(cdb(0x2a), 0xa, n, pattern('A'));
            List<Integer> answered = new ArrayList<>();
            Object p;
            while ((p = i.receiveWithin(700)) != null) {
                answered.add(((IscsiPdu) p).initiatorTaskTag());
                ((IscsiPdu) p).release();
            }
            TestInitiator.ReadResult block = i.read(cdb(0x28), 0x3, n + 2, BLOCK);
            boolean ran = Arrays.equals(block.data(), pattern('B'));
            assertThat(abort.response() == TaskManagementResponse.FUNCTION_COMPLETE && ran)
                    .as("ABORT TASK answered %d (0 = Function Complete); then answered %s; block holds %s",
                            abort.response(), answered, ran ? "B: the aborted write ran" : "A")
                    .isFalse();
        }
    }

    /**
     * A non-immediate Logout behind a gap that never fills waits (RFC-correct); an immediate Logout still gets
     * through, is answered, and the connection closes.
     */
    @Test
    void anImmediateLogoutGetsPastAGapThatNeverFills() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            int n = i.login(TargetFixture.TARGET).expCmdSn();
            i.send(new LogoutRequest(false, LogoutRequest.CLOSE_SESSION, 0x50, 0, n + 1, 0));
            assertThat(i.receiveWithin(500)).as("a Logout numbered after a gap waits for it").isNull();
            i.send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 0x51, 0, n, 0));
            Object o = i.receive();
            assertThat(o).isInstanceOf(LogoutResponse.class);
            ((IscsiPdu) o).release();
            assertThat(((LogoutResponse) o).initiatorTaskTag()).isEqualTo(0x51);
            assertThat(i.closedByTarget()).isTrue();
        }
    }

    /** A session whose first CmdSN is 2^32 - 2: commands across the wrap, held and in order; the window goes on. */
    @Test
    void commandsAcrossTheWrapAt2pow32() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "Wthreads 1");
             TestInitiator i = new TestInitiator(t.port())) {
            int first = 0xfffffffe;
            i.send(new LoginRequest(true, false, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, 0, ISID, 0, 1, 0,
                    first, 0, Unpooled.copiedBuffer(KEYS, StandardCharsets.US_ASCII)));
            LoginResponse l = (LoginResponse) i.receive();
            l.release();
            assertThat(l.statusClass()).isZero();
            assertThat(l.expCmdSn()).isEqualTo(first);
            // The final Login Response advertises MaxCmdSN = ExpCmdSN (a window of one); the target's window is
            // QueuedCommands wide all the same, so the commands below are inside what it accepts.
            i.write(cdb(0x2a), 0xd, 1, pattern('D'));
            i.write(cdb(0x2a), 0xc, 0, pattern('C'));
            i.write(cdb(0x2a), 0xb, 0xffffffff, pattern('B'));
            assertThat(i.receiveWithin(300)).isNull();
            testUnitReady(i, 0xa, first); // takes the unit attention; fills the gap
            List<Integer> tags = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                ScsiResponse r = (ScsiResponse) i.receive();
                r.release();
                tags.add(r.initiatorTaskTag());
            }
            assertThat(tags).containsExactly(0xb, 0xc, 0xd);
            int next = 2;
            for (int k = 0; k < 40; k++) {
                ScsiResponse r = testUnitReady(i, 0x100 + k, next++);
                assertThat(r.status()).isZero();
                assertThat(r.expCmdSn()).isEqualTo(next);
            }
            assertThat(i.read(cdb(0x28), 0x3, next, BLOCK).data()).isEqualTo(pattern('D'));
        }
    }

    /**
     * MC/S chaos: on connection B, held commands with Data-Out, a NOP-Out with data, a Text Request and a Logout,
     * all behind a gap; on A an immediate ABORT TASK SET, LOGICAL UNIT RESET or ABORT TASK race them, B closes abruptly,
     * A fills the gap. Twenty rounds, random order; afterwards A still works and nothing leaked.
     */
    @Test
    void heldPdusRacingTaskManagementAndAClosingConnectionLeakNothing() throws Exception {
        Random random = new Random(9);
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2", "InitialR2T No")) {
            for (int round = 0; round < 20; round++) {
                try (TestInitiator a = new TestInitiator(t.port())) {
                    long isid = ISID + 0x100 + round;
                    LoginResponse leading = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, isid,
                            0, 0, KEYS + "MaxConnections=2\0InitialR2T=No\0");
                    assertThat(leading.statusClass()).isZero();
                    int n = leading.expCmdSn();
                    testUnitReady(a, 0x1, n++);
                    TestInitiator b = new TestInitiator(t.port());
                    assertThat(b.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, isid,
                            leading.tsih(), 1, KEYS + "InitialR2T=No\0").statusClass()).isZero();
                    int k = 1;
                    for (int c = 0; c < 6; c++) {
                        b.send(new ScsiCommand(false, false, false, true, ScsiTaskAttribute.SIMPLE, 0, 0x10 + c,
                                2 * BLOCK, n + k++, 0, twoBlocks(), -1, Unpooled.wrappedBuffer(pattern(c))));
                        b.send(new DataOut(true, 0, 0x10 + c, 0xffffffff, 0, 0, BLOCK,
                                Unpooled.wrappedBuffer(pattern(c + 1))));
                    }
                    b.send(new NopOut(false, 0, 0x30, 0xffffffff, n + k++, 0, Unpooled.wrappedBuffer(pattern(9))));
                    b.send(new TextRequest(false, true, false, 0, 0x31, 0xffffffff, n + k++, 0,
                            Unpooled.copiedBuffer("SendTargets=All\0", StandardCharsets.US_ASCII)));
                    b.send(new LogoutRequest(false, 1 /* close the connection */, 0x32, 1, n + k++, 0));
                    int action = random.nextInt(4);
                    if (action == 0) {
                        a.send(new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK_SET, 0, 0x40,
                                0xffffffff, n + k, 0, 0, 0));
                    } else if (action == 1) {
                        a.send(new TaskManagementRequest(true, TaskManagementRequest.LOGICAL_UNIT_RESET, 0, 0x41,
                                0xffffffff, n + k, 0, 0, 0));
                    } else if (action == 2) {
                        a.send(new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK, 0, 0x42, 0x12,
                                n + k, 0, n + 3, 0));
                    }
                    if (random.nextBoolean()) {
                        b.close();
                        a.command(new byte[16], 0x2, n);
                    } else {
                        a.command(new byte[16], 0x2, n);
                        b.close();
                    }
                    // A's answers: the TMF response (if any), the TUR's; anything else is drained
                    boolean turAnswered = false;
                    Object o;
                    while ((o = a.receiveWithin(1000)) != null) {
                        IscsiPdu p = (IscsiPdu) o;
                        p.release();
                        if (p instanceof ScsiResponse r && r.initiatorTaskTag() == 0x2) {
                            turAnswered = true;
                        }
                    }
                    assertThat(turAnswered).as("round %d action %d: A's command at the gap answered", round,
                            action).isTrue();
                    ScsiResponse after = testUnitReady(a, 0x3, n + k);
                    assertThat(after.initiatorTaskTag()).isEqualTo(0x3);
                    assertThat(after.expCmdSn()).as("round %d: every CmdSN B sent counts", round)
                            .isEqualTo(n + k + 1);
                }
            }
            Thread.sleep(300);
            assertThat(leaks.collect()).isEmpty();
        }
    }

    private static byte[] twoBlocks() {
        byte[] cdb = cdb(0x2a);
        cdb[8] = 2;
        return cdb;
    }
}
