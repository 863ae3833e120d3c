package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.NopIn;

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
