package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import io.netty.buffer.Unpooled;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.iscsi.pdu.TextResponse;

import java.nio.charset.StandardCharsets;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Session life: reinstatement by the same initiator port, and the target's NOP-In pings to dead initiators. */
class SessionE2ETest {
    @TempDir
    Path dir;

    @Test
    void aNewLoginWithTheSameIsidReinstatesTheSession() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator first = new TestInitiator(t.port())) {
            assertThat(first.login(TargetFixture.TARGET).statusClass()).isZero();
            try (TestInitiator second = new TestInitiator(t.port())) {
                assertThat(second.login(TargetFixture.TARGET).tsih()).isNotZero();
                assertThat(first.closedByTarget()).as("the old session's connection is closed").isTrue();
                assertThat(second.ping(5)).isNotNull();
            }
        }
    }

    @Test
    void textRequestsInANormalSessionAnswerSendTargetsForTheSessionsTarget() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator session = new TestInitiator(t.port())) {
            session.login(TargetFixture.TARGET);
            session.send(new TextRequest(true, true, false, 0, 21, Bhs.RESERVED_TAG, 1, 0,
                    Unpooled.copiedBuffer("SendTargets=\0X-vendor.key=1\0", StandardCharsets.US_ASCII)));
            TextResponse r = (TextResponse) session.receive();
            String text = r.data().toString(StandardCharsets.US_ASCII);
            r.release();
            assertThat(r.initiatorTaskTag()).isEqualTo(21);
            assertThat(r.finalFlag()).isTrue();
            assertThat(text).contains("TargetName=" + TargetFixture.TARGET + "\0")
                    .contains("TargetAddress=127.0.0.1:" + t.port() + ",1\0")
                    .contains("X-vendor.key=Reject\0");
            assertThat(session.ping(22)).isNotNull();
        }
    }

    @Test
    void aLunResetFromOneSessionAbortsAnothersTasksAndRaisesAUnitAttentionThere() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "InitialR2T Yes");
             TestInitiator a = new TestInitiator(t.port());
             TestInitiator b = new TestInitiator(t.port())) {
            int aCmdSn = a.login(TargetFixture.TARGET).expCmdSn();
            int bCmdSn = b.loginAs(0x400000000002L).expCmdSn();
            byte[] testUnitReady = new byte[16];
            a.command(testUnitReady, 0x200, aCmdSn++);
            ScsiResponse powerOn = (ScsiResponse) a.receive(); // the new nexus's POWER ON unit attention
            assertThat(powerOn.data().getByte(2 + 12)).isEqualTo((byte) 0x29);
            powerOn.release();
            byte[] write10 = new byte[16];
            write10[0] = 0x2a;
            write10[8] = 1; // one block
            a.write(write10, 0x201, aCmdSn++, 512);
            ReadyToTransfer r2t = (ReadyToTransfer) a.receive();
            assertThat(r2t.desiredDataTransferLength()).isEqualTo(512);

            b.send(new TaskManagementRequest(true, TaskManagementRequest.LOGICAL_UNIT_RESET, 0, 0x301,
                    Bhs.RESERVED_TAG, bCmdSn, 0, 0, 0));
            TaskManagementResponse done = (TaskManagementResponse) b.receive();
            assertThat(done.response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);

            // A's write was aborted: its data is dropped and no response comes for it.
            a.send(new DataOut(true, 0, 0x201, r2t.targetTransferTag(), 0, 0, 0,
                    Unpooled.wrappedBuffer(new byte[512])));
            a.command(testUnitReady, 0x202, aCmdSn);
            ScsiResponse ua = (ScsiResponse) a.receive();
            assertThat(ua.initiatorTaskTag()).isEqualTo(0x202);
            assertThat(ua.status()).isEqualTo(0x02);
            assertThat(ua.data().getByte(2 + 12)).isEqualTo((byte) 0x29);   // BUS DEVICE RESET FUNCTION OCCURRED
            assertThat(ua.data().getByte(2 + 13)).isEqualTo((byte) 0x03);
            ua.release();
            assertThat(a.ping(0x203)).isNotNull();
        }
    }

    @Test
    void anInitiatorThatStopsAnsweringPingsIsDisconnected() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "NOPInterval 1", "NOPTimeout 1");
             TestInitiator silent = new TestInitiator(t.port());
             TestInitiator alive = new TestInitiator(t.port())) {
            silent.login(TargetFixture.TARGET);
            NopIn ping = (NopIn) silent.receive();
            assertThat(ping.targetTransferTag()).isNotEqualTo(Bhs.RESERVED_TAG);
            assertThat(ping.initiatorTaskTag()).isEqualTo(Bhs.RESERVED_TAG);
            ping.release();
            // no answer: within the next interval the target gives up on this connection
            assertThat(silent.closedByTarget()).isTrue();

            // an initiator that answers stays connected across several pings
            alive.loginAs(0x400000000002L);
            for (int i = 0; i < 3; i++) {
                NopIn p = (NopIn) alive.receive();
                assertThat(p).isNotNull();
                alive.answer(p);
                p.release();
            }
            assertThat(alive.ping(6)).isNotNull();
        }
    }
}
