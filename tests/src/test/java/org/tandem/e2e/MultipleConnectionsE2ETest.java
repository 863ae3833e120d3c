package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.ScsiResponse;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * MC/S (RFC 7143 section 4.1): a second connection joins a session by its TSIH, commands numbered across both
 * connections are accepted out of order, a third connection beyond MaxConnections is refused, and logout closes
 * one connection or the whole session.
 */
class MultipleConnectionsE2ETest {
    private static final long ISID = 0x40000000000aL;
    private static final String KEYS = "InitiatorName=iqn.2026-11.org.tandem.test:mcs\0TargetName="
            + TargetFixture.TARGET + "\0AuthMethod=None\0";

    @TempDir
    Path dir;

    @Test
    void twoConnectionsShareOneSessionAndItsCommandNumbers() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2");
             TestInitiator a = new TestInitiator(t.port());
             TestInitiator b = new TestInitiator(t.port());
             TestInitiator c = new TestInitiator(t.port())) {
            LoginResponse leading = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0, 0,
                    KEYS + "MaxConnections=4\0");
            assertThat(leading.statusClass()).isZero();
            int tsih = leading.tsih();
            assertThat(tsih).isNotZero();

            LoginResponse added = b.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, tsih, 1,
                    KEYS + "MaxBurstLength=4096\0");
            assertThat(added.statusClass()).isZero();
            assertThat(added.tsih()).isEqualTo(tsih);
            int expCmdSn = added.expCmdSn();

            LoginResponse third = c.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, tsih, 2, KEYS);
            assertThat(third.statusClass()).isEqualTo(0x02);
            assertThat(third.statusDetail()).isEqualTo(0x06); // too many connections

            // CmdSN n+1 arrives on B before n arrives on A: B's waits for A's (RFC 7143 section 3.2.2.1), then
            // both execute, and ExpCmdSN covers both (CommandOrderingE2ETest checks the order itself).
            byte[] testUnitReady = new byte[16];
            b.command(testUnitReady, 0x101, expCmdSn + 1);
            assertThat(b.receiveWithin(300)).as("CmdSN %d still missing", expCmdSn).isNull();
            a.command(testUnitReady, 0x102, expCmdSn);
            ScsiResponse first = (ScsiResponse) a.receive();
            first.release();
            assertThat(first.expCmdSn()).isEqualTo(expCmdSn + 2);
            ScsiResponse second = (ScsiResponse) b.receive();
            second.release();
            assertThat(second.expCmdSn()).isEqualTo(expCmdSn + 2);

            // A logs out B's connection; then the whole session.
            a.send(new LogoutRequest(true, LogoutRequest.CLOSE_CONNECTION, 0x103, 1, expCmdSn + 2, 0));
            LogoutResponse closedB = (LogoutResponse) a.receive();
            assertThat(closedB.response()).isEqualTo(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY);
            assertThat(b.closedByTarget()).isTrue();
            assertThat(a.ping(0x104)).isNotNull();
            a.send(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 0x105, 0, expCmdSn + 2, 0));
            LogoutResponse closedAll = (LogoutResponse) a.receive();
            assertThat(closedAll.response()).isEqualTo(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY);
            assertThat(a.closedByTarget()).isTrue();
        }
    }

    @Test
    void aConnectionThatDropsWithAWriteWaitingForDataGivesItsWindowSlotBack() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2", "QueuedCommands 2", "InitialR2T Yes");
             TestInitiator a = new TestInitiator(t.port())) {
            LoginResponse leading = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0, 0,
                    KEYS + "MaxConnections=2\0");
            int cmdSn = leading.expCmdSn();
            try (TestInitiator b = new TestInitiator(t.port())) {
                b.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, leading.tsih(), 1, KEYS);
                byte[] write10 = new byte[16];
                write10[0] = 0x2a;
                write10[8] = 1;
                b.write(write10, 0x301, cmdSn++, 512);
                ((org.tandem.iscsi.pdu.ReadyToTransfer) b.receive()).release();
            } // B drops with its write still waiting for data
            Thread.sleep(300);
            a.command(new byte[16], 0x302, cmdSn);
            ScsiResponse r = (ScsiResponse) a.receive();
            r.release();
            // Both slots free again: MaxCmdSN = ExpCmdSN + QueuedCommands - 1.
            assertThat(r.expCmdSn()).isEqualTo(cmdSn + 1);
            assertThat(r.maxCmdSn()).isEqualTo(cmdSn + 1 + 2 - 1);
        }
    }

    @Test
    void aTsihOfAnotherInitiatorPortIsRefused() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2");
             TestInitiator a = new TestInitiator(t.port());
             TestInitiator other = new TestInitiator(t.port())) {
            int tsih = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0, 0,
                    KEYS + "MaxConnections=2\0").tsih();
            LoginResponse r = other.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID + 1, tsih, 1,
                    KEYS);
            assertThat(r.statusClass()).isEqualTo(0x02);
            assertThat(r.statusDetail()).isEqualTo(0x0a); // session does not exist
            assertThat(a.ping(1)).isNotNull();
        }
    }
}
