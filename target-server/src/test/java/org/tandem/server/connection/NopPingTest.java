package org.tandem.server.connection;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 7143 sections 11.18 and 11.19: a NOP-Out with a task tag is a ping the target answers with a NOP-In echoing
 * its data; one without (0xffffffff) needs no answer; the target's own ping is a NOP-In with a Target Transfer Tag
 * the initiator quotes back. With IET's NOPInterval/NOPTimeout a ping left unanswered ends the connection.
 */
class NopPingTest extends ConnectionJobTestBase {

    private static NopOut nopOut(int itt, int ttt, byte[] data) {
        return new NopOut(true, 0, itt, ttt, 1, 0, Unpooled.wrappedBuffer(data));
    }

    /** The one NOP-In the target sent on its own within the next {@code seconds}. */
    private NopIn pingAfter(int seconds) {
        bench.channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        List<IscsiPdu> sent = bench.sent();
        assertThat(sent).hasSize(1).first().isInstanceOf(NopIn.class);
        return (NopIn) sent.get(0);
    }

    @Test
    void aPingIsEchoedWithItsDataCutAtTheInitiatorsMaxRecvDataSegmentLength() throws Exception {
        open(false, 512, 262144, 0);
        byte[] data = new byte[700];
        Arrays.fill(data, (byte) 0x5a);
        NopIn echo = bench.answer(nopOut(0x42, RESERVED, data), NopIn.class);
        assertThat(echo.initiatorTaskTag()).isEqualTo(0x42);
        assertThat(echo.targetTransferTag()).isEqualTo(RESERVED);
        assertThat(ByteBufUtil.getBytes(echo.data())).isEqualTo(Arrays.copyOf(data, 512));
        assertThat(echo.statSn()).isEqualTo(100);
    }

    @Test
    void aOneWayNopNeedsNoAnswer() throws Exception {
        open(false, 8192, 262144, 0);
        assertThat(bench.exchange(nopOut(RESERVED, RESERVED, new byte[0]))).isEmpty();
    }

    @Test
    void everyNopIntervalTheTargetPingsAndAQuotedTagAnswersThePing() throws Exception {
        open(false, 8192, 262144, 5);
        NopIn ping = pingAfter(5);
        assertThat(ping.initiatorTaskTag()).as("a target's ping carries no task tag").isEqualTo(RESERVED);
        assertThat(ping.targetTransferTag()).isNotEqualTo(RESERVED);
        assertThat(ping.statSn()).as("a ping carries no status: StatSN does not advance").isEqualTo(100);

        assertThat(bench.exchange(nopOut(RESERVED, ping.targetTransferTag(), new byte[0])))
                .as("the initiator's answer needs none").isEmpty();
        NopIn next = pingAfter(5);
        assertThat(next.targetTransferTag()).as("answered: the next interval brings a new ping")
                .isNotEqualTo(ping.targetTransferTag());
        assertThat(bench.channel.isActive()).isTrue();
    }

    @Test
    void aPingLeftUnansweredForNopTimeoutClosesTheConnection() throws Exception {
        open(false, 8192, 262144, 5);
        pingAfter(5);
        assertThat(bench.channel.isActive()).isTrue();
        bench.channel.advanceTimeBy(5, TimeUnit.SECONDS);
        bench.channel.runPendingTasks();
        assertThat(bench.channel.isActive()).as("no answer within NOPTimeout").isFalse();
    }
}
