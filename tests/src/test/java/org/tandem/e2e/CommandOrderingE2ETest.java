package org.tandem.e2e;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.e2e.OneBlock.cdb;
import static org.tandem.e2e.OneBlock.pattern;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * CmdSN ordering against the real server over TCP (RFC 7143 sections 3.2.2.1 and 11.6.1): a command after a gap
 * waits for it, also across the two connections of an MC/S session; an ABORT TASK of a command the target never
 * received fills the gap, and the command arriving late does not run; PDUs outside the window are ignored. The
 * target runs one I/O thread (Wthreads 1), so commands execute in the order they reach the SCSI layer and the
 * contents of a block written twice tell that order.
 */
class CommandOrderingE2ETest {
    private static final long ISID = 0x40000000000bL;
    private static final String KEYS = "InitiatorName=iqn.2026-11.org.tandem.test:ordering\0TargetName="
            + TargetFixture.TARGET + "\0AuthMethod=None\0";
    private static final int BLOCK = OneBlock.BYTES;
    private static final int SILENCE_MILLIS = 500;

    @TempDir
    Path dir;



    /** Sends TEST UNIT READY at {@code cmdSn} and returns its response: the first also takes the unit attention. */
    private static ScsiResponse testUnitReady(TestInitiator i, int itt, int cmdSn) throws Exception {
        i.command(new byte[16], itt, cmdSn);
        ScsiResponse r = (ScsiResponse) i.receive();
        r.release();
        return r;
    }

    /** Reads block 0 with a non-immediate READ(10) at {@code cmdSn}. */
    private static byte[] readBlock(TestInitiator i, int itt, int cmdSn) throws Exception {
        TestInitiator.ReadResult r = i.read(cdb(0x28), itt, cmdSn, BLOCK);
        assertThat(r.status()).isZero();
        return r.data();
    }

    private static ScsiResponse scsiResponse(Object pdu) {
        assertThat(pdu).isInstanceOf(ScsiResponse.class);
        ScsiResponse r = (ScsiResponse) pdu;
        r.release();
        return r;
    }

    @Test
    void aCommandAfterAGapWaitsForTheMissingOneAndRunsAfterIt() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "Wthreads 1");
             TestInitiator i = new TestInitiator(t.port())) {
            int n = i.login(TargetFixture.TARGET).expCmdSn();
            testUnitReady(i, 0x1, n++);

            i.write(cdb(0x2a), 0xb, n + 1, pattern('B'));
            assertThat(i.receiveWithin(SILENCE_MILLIS)).as("nothing answers CmdSN n+1 before n arrives").isNull();
            i.write(cdb(0x2a), 0xa, n, pattern('A'));
            ScsiResponse first = scsiResponse(i.receive());
            ScsiResponse second = scsiResponse(i.receive());
            assertThat(first.initiatorTaskTag()).isEqualTo(0xa);
            assertThat(second.initiatorTaskTag()).isEqualTo(0xb);
            assertThat(first.status()).isZero();
            assertThat(second.status()).isZero();
            assertThat(second.expCmdSn()).isEqualTo(n + 2);
            assertThat(readBlock(i, 0xc, n + 2)).as("B, written at n+1, landed after A").isEqualTo(pattern('B'));
        }
    }

    @Test
    void aNonImmediateNopOutWaitsForTheGapAndAnImmediateOneDoesNot() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator i = new TestInitiator(t.port())) {
            int n = i.login(TargetFixture.TARGET).expCmdSn();
            i.send(new NopOut(false, 0, 0x21, 0xffffffff, n + 1, 0, Unpooled.EMPTY_BUFFER));
            assertThat(i.receiveWithin(SILENCE_MILLIS)).isNull();
            NopIn immediate = i.ping(0x22);
            assertThat(immediate).isNotNull();
            assertThat(immediate.initiatorTaskTag()).isEqualTo(0x22);
            assertThat(immediate.expCmdSn()).isEqualTo(n);

            i.command(new byte[16], 0x23, n);
            List<Object> answers = List.of(i.receive(), i.receive());
            answers.forEach(p -> ((IscsiPdu) p).release());
            assertThat(answers).extracting(p -> ((IscsiPdu) p).initiatorTaskTag())
                    .containsExactlyInAnyOrder(0x23, 0x21);
            NopIn held = (NopIn) answers.stream().filter(NopIn.class::isInstance).findFirst().orElseThrow();
            assertThat(held.expCmdSn()).isEqualTo(n + 2);
        }
    }

    @Test
    void ordersCommandsAcrossTheTwoConnectionsOfASession() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2", "Wthreads 1");
             TestInitiator a = new TestInitiator(t.port());
             TestInitiator b = new TestInitiator(t.port())) {
            LoginResponse leading = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0, 0,
                    KEYS + "MaxConnections=2\0");
            assertThat(leading.statusClass()).isZero();
            LoginResponse added = b.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID,
                    leading.tsih(), 1, KEYS);
            assertThat(added.statusClass()).isZero();
            int n = added.expCmdSn();
            testUnitReady(a, 0x1, n++);

            // One write on B ahead of the gap, then the missing one on A.
            b.write(cdb(0x2a), 0xb, n + 1, pattern('B'));
            assertThat(b.receiveWithin(SILENCE_MILLIS)).as("B's command waits for CmdSN %d on A", n).isNull();
            a.write(cdb(0x2a), 0xa, n, pattern('A'));
            assertThat(scsiResponse(a.receive()).initiatorTaskTag()).isEqualTo(0xa);
            assertThat(scsiResponse(b.receive()).expCmdSn()).isEqualTo(n + 2);
            assertThat(readBlock(a, 0x2, n + 2)).isEqualTo(pattern('B'));
            n += 3;

            // Sixteen writes of one block alternating between the connections, sent highest CmdSN first: the
            // block ends with the pattern of the highest, and each connection's answers come in CmdSN order.
            int count = 16;
            for (int k = count - 1; k >= 0; k--) {
                (k % 2 == 0 ? a : b).write(cdb(0x2a), 0x100 + k, n + k, pattern(0x40 + k));
            }
            List<Integer> onA = new ArrayList<>();
            List<Integer> onB = new ArrayList<>();
            for (int k = 0; k < count / 2; k++) {
                onA.add(scsiResponse(a.receive()).initiatorTaskTag());
                onB.add(scsiResponse(b.receive()).initiatorTaskTag());
            }
            assertThat(onA).containsExactly(0x100, 0x102, 0x104, 0x106, 0x108, 0x10a, 0x10c, 0x10e);
            assertThat(onB).containsExactly(0x101, 0x103, 0x105, 0x107, 0x109, 0x10b, 0x10d, 0x10f);
            assertThat(readBlock(b, 0x3, n + count)).isEqualTo(pattern(0x40 + count - 1));
        }
    }

    @Test
    void pdusHeldForAConnectionThatDropsAreReleasedAndTheirNumbersCount() throws Exception {
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2", "InitialR2T No");
             TestInitiator a = new TestInitiator(t.port())) {
            LoginResponse leading = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0, 0,
                    KEYS + "MaxConnections=2\0InitialR2T=No\0");
            assertThat(leading.statusClass()).isZero();
            int n = leading.expCmdSn();
            testUnitReady(a, 0x1, n++);
            try (TestInitiator b = new TestInitiator(t.port())) {
                assertThat(b.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, leading.tsih(), 1,
                        KEYS + "InitialR2T=No\0").statusClass()).isZero();
                sendHeldPdus(b, n); // held behind CmdSN n, which never comes on B
                assertThat(b.receiveWithin(SILENCE_MILLIS)).isNull();
            } // B drops
            Thread.sleep(300);
            ScsiResponse r = testUnitReady(a, 0x2, n);
            assertThat(r.expCmdSn()).as("B's CmdSNs were received, though never run").isEqualTo(n + 3);
            TestInitiator.ReadResult read = a.read(twoBlocks(0x28), 0x3, n + 3, 2 * BLOCK);
            assertThat(read.data()).isEqualTo(new byte[2 * BLOCK]);
            assertThat(leaks.collect()).isEmpty();
        }
    }

    @Test
    void aSessionThatEndsWithPdusStillHeldLeaksNothing() throws Exception {
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.simple(dir, "InitialR2T No")) {
            for (int round = 0; round < 3; round++) {
                try (TestInitiator i = new TestInitiator(t.port())) {
                    int n = i.login(TargetFixture.TARGET).expCmdSn();
                    sendHeldPdus(i, n);
                    assertThat(i.receiveWithin(200)).isNull();
                } // the session ends with the gap at n unfilled
            }
            Thread.sleep(300);
            assertThat(leaks.collect()).isEmpty();
        }
    }

    /** A two-block write (one block immediate, one unsolicited Data-Out) at n+1 and a NOP-Out with data at n+2. */
    private static void sendHeldPdus(TestInitiator i, int n) throws Exception {
        i.send(new ScsiCommand(false, false, false, true, ScsiTaskAttribute.SIMPLE, 0, 0xb, 2 * BLOCK, n + 1, 0,
                twoBlocks(0x2a), -1, Unpooled.wrappedBuffer(pattern('B'))));
        i.send(new DataOut(true, 0, 0xb, 0xffffffff, 0, 0, BLOCK, Unpooled.wrappedBuffer(pattern('C'))));
        i.send(new NopOut(false, 0, 0xc, 0xffffffff, n + 2, 0, Unpooled.wrappedBuffer(pattern('D'))));
    }

    private static byte[] twoBlocks(int opcode) {
        byte[] cdb = cdb(opcode);
        cdb[8] = 2;
        return cdb;
    }

    @Test
    void abortTaskOfACommandNeverReceivedFillsTheGapAndTheWindowStaysOpen() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "Wthreads 1");
             TestInitiator i = new TestInitiator(t.port())) {
            int n = i.login(TargetFixture.TARGET).expCmdSn();
            testUnitReady(i, 0x1, n++);

            i.write(cdb(0x2a), 0xb, n + 1, pattern('B'));
            // The initiator gives up on 0xa, CmdSN n, which never reached the target (RFC 7143 11.6.1 case b).
            i.send(new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK, 0, 0x77, 0xa, n + 2, 0, n, 0));
            TaskManagementResponse abort = null;
            ScsiResponse held = null;
            for (int k = 0; k < 2; k++) {
                Object pdu = i.receive();
                ((IscsiPdu) pdu).release();
                if (pdu instanceof TaskManagementResponse r) {
                    abort = r;
                } else {
                    held = (ScsiResponse) pdu;
                }
            }
            assertThat(abort).isNotNull();
            assertThat(abort.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
            assertThat(abort.expCmdSn()).isEqualTo(n + 2);
            assertThat(held).isNotNull();
            assertThat(held.initiatorTaskTag()).as("the write held behind the gap ran").isEqualTo(0xb);

            // Forty more commands: more than the window of 32 that a gap left open would allow.
            int next = n + 2;
            for (int k = 0; k < 40; k++) {
                ScsiResponse r = testUnitReady(i, 0x200 + k, next++);
                assertThat(r.status()).as("command %d after the abort", k).isZero();
                assertThat(r.expCmdSn()).isEqualTo(next);
            }

            // The aborted command arrives after all: it is below ExpCmdSN, ignored, and does not run.
            i.write(cdb(0x2a), 0xa, n, pattern('A'));
            assertThat(i.receiveWithin(SILENCE_MILLIS)).isNull();
            assertThat(readBlock(i, 0x3, next)).isEqualTo(pattern('B'));
        }
    }

    @Test
    void pdusOutsideTheWindowAreIgnoredAndTheConnectionGoesOn() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "QueuedCommands 4", "Wthreads 1");
             TestInitiator i = new TestInitiator(t.port())) {
            int n = i.login(TargetFixture.TARGET).expCmdSn();
            ScsiResponse first = testUnitReady(i, 0x1, n++);
            int max = first.maxCmdSn();
            assertThat(max).isEqualTo(n + 3);

            i.command(new byte[16], 0x2, max + 1);
            assertThat(i.receiveWithin(SILENCE_MILLIS)).as("beyond MaxCmdSN").isNull();
            i.command(new byte[16], 0x3, n - 1);
            assertThat(i.receiveWithin(SILENCE_MILLIS)).as("below ExpCmdSN: a duplicate").isNull();
            i.command(new byte[16], 0x4, n + 1);
            i.command(new byte[16], 0x5, n + 1);
            assertThat(i.receiveWithin(SILENCE_MILLIS)).as("held, and its duplicate ignored").isNull();

            ScsiResponse r = testUnitReady(i, 0x6, n);
            ScsiResponse after = scsiResponse(i.receive());
            assertThat(r.initiatorTaskTag()).isEqualTo(0x6);
            assertThat(after.initiatorTaskTag()).isEqualTo(0x4);
            assertThat(after.expCmdSn()).isEqualTo(n + 2);
            assertThat(i.receiveWithin(SILENCE_MILLIS)).isNull();
        }
    }
}
