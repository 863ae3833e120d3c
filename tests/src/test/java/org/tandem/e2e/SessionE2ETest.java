package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import io.netty.buffer.Unpooled;
import org.tandem.iscsi.pdu.NopIn;
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
