package org.tandem.server.connection;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.AsyncMessage;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before a cluster release the session is told its connections will drop (RFC 7143 section 11.9.1, AsyncEvent
 * 3) with Time2Wait 0, so the initiator reconnects at once when the new owner resets them, and nothing is closed.
 */
class AnnounceDropTest extends OrderingChannelsBase {

    @Test
    void everyConnectionGetsAsyncEventThreeWithTheTime2WaitAndStaysOpen() throws Exception {
        EmbeddedChannel one = connect(false);
        EmbeddedChannel two = connect(false);

        session.announceDrop(0);
        one.runPendingTasks();
        two.runPendingTasks();

        for (EmbeddedChannel ch : List.of(one, two)) {
            AsyncMessage m = ch.readOutbound();
            assertThat(m).as("the announcement on each connection").isNotNull();
            try {
                assertThat(m.asyncEvent()).isEqualTo(AsyncMessage.SESSION_WILL_BE_DROPPED);
                assertThat(m.parameter2()).as("Time2Wait: reconnect at once").isZero();
                assertThat(m.parameter3()).as("Time2Retain: the session's negotiated value").isEqualTo(20);
                assertThat(m.initiatorTaskTag()).isEqualTo(0xffffffff);
            } finally {
                m.release();
            }
            assertThat(ch.isActive()).as("the announcement closes nothing").isTrue();
        }
    }

    @Test
    void aClosedConnectionIsSkipped() throws Exception {
        EmbeddedChannel one = connect(false);
        one.close();

        session.announceDrop(0);
        one.runPendingTasks();

        assertThat((Object) one.readOutbound()).isNull();
    }
}
