package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 sections 11.14 and 11.15: a logout closes the session or a connection; the response carries
 * Time2Wait and Time2Retain, and the connection closes after it; a write still waiting for data ends with the
 * logout (section 11.14.3); a CID the session does not have is answered CID not found; connection recovery needs
 * ErrorRecoveryLevel 2 and is answered not supported.
 */
class LogoutTest extends ConnectionJobTestBase {

    private static LogoutRequest logout(int reason, int cid) {
        return new LogoutRequest(true, reason, 0x51, cid, 1, 0);
    }

    @Test
    void closingTheSessionIsConfirmedWithTheNegotiatedTimesAndClosesTheConnection() throws Exception {
        open(false, 8192, 262144, 0);
        LogoutResponse r = bench.answer(logout(LogoutRequest.CLOSE_SESSION, 0), LogoutResponse.class);
        assertThat(r.response()).isEqualTo(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY);
        assertThat(r.initiatorTaskTag()).isEqualTo(0x51);
        assertThat(r.time2Wait()).isEqualTo(2);
        assertThat(r.time2Retain()).isEqualTo(20);
        assertThat(bench.channel.isActive()).isFalse();
    }

    @Test
    void aWriteWaitingForDataEndsWithTheLogoutAndGivesBackItsSlot() throws Exception {
        open(false, 8192, 262144, 0);
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a;
        cdb[8] = 1;
        bench.clearUnitAttention();
        bench.answer(new ScsiCommand(true, true, false, true, ScsiTaskAttribute.SIMPLE, 0, 9, 512, 1, 0, cdb, -1,
                Unpooled.EMPTY_BUFFER), ReadyToTransfer.class);
        assertThat(bench.session.window().inFlight()).isEqualTo(1);
        LogoutResponse r = bench.answer(logout(LogoutRequest.CLOSE_CONNECTION, 0), LogoutResponse.class);
        assertThat(r.response()).isEqualTo(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY);
        assertThat(bench.session.window().inFlight()).isZero();
    }

    @Test
    void aCidTheSessionDoesNotHaveIsNotFoundAndNothingCloses() throws Exception {
        open(false, 8192, 262144, 0);
        LogoutResponse r = bench.answer(logout(LogoutRequest.CLOSE_CONNECTION, 7), LogoutResponse.class);
        assertThat(r.response()).isEqualTo(LogoutResponse.CID_NOT_FOUND);
        assertThat(bench.channel.isActive()).isTrue();
    }

    @Test
    void connectionRecoveryIsNotSupported() throws Exception {
        open(false, 8192, 262144, 0);
        LogoutResponse r = bench.answer(logout(LogoutRequest.REMOVE_CONNECTION_FOR_RECOVERY, 0),
                LogoutResponse.class);
        assertThat(r.response()).isEqualTo(LogoutResponse.RECOVERY_NOT_SUPPORTED);
        assertThat(bench.channel.isActive()).isTrue();
    }
}
