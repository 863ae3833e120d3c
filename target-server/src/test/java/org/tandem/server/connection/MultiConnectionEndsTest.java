package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MC/S (RFC 7143 section 6.3): a write waiting for its data on one connection while the other connection ends it by
 * a task management function or a logout. The write's slot in the session's command window comes back, and the
 * function's or logout's answer goes on the connection that asked.
 */
class MultiConnectionEndsTest extends OrderingChannelsBase {

    /** A write of one block waiting for its R2T's data on {@code ch} (InitialR2T=Yes, no immediate data). */
    private void writeWaitingForData(EmbeddedChannel ch, int itt, int cmdSn) {
        ch.writeInbound(write(itt, cmdSn, Unpooled.EMPTY_BUFFER, BLOCK, true));
        List<IscsiPdu> out = sent(ch);
        assertThat(out).hasSize(1).first().isInstanceOf(ReadyToTransfer.class);
        out.forEach(IscsiPdu::release);
    }

    private static IscsiPdu only(EmbeddedChannel ch) {
        List<IscsiPdu> out = sent(ch);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void anAbortTaskSetOnOneConnectionEndsTheWriteWaitingOnTheOther() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        writeWaitingForData(b, 0x20, first);
        assertThat(session.window().inFlight()).isOne();

        a.writeInbound(new TaskManagementRequest(true, TaskManagementRequest.ABORT_TASK_SET, 0, 0x71, 0xffffffff,
                first + 1, 0, 0, 0));
        b.runPendingTasks();
        IscsiPdu r = only(a);
        assertThat(r).isInstanceOf(TaskManagementResponse.class);
        assertThat(((TaskManagementResponse) r).response()).isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        assertThat(session.window().inFlight()).isZero();
        assertThat(sent(b)).as("an aborted task gets no response").isEmpty();
    }

    @Test
    void closingTheSessionFromOneConnectionEndsTheWriteWaitingOnTheOther() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        writeWaitingForData(b, 0x21, first);
        a.writeInbound(new LogoutRequest(true, LogoutRequest.CLOSE_SESSION, 0x52, 0, first + 1, 0));
        b.runPendingTasks();
        IscsiPdu r = only(a);
        assertThat(r).isInstanceOf(LogoutResponse.class);
        assertThat(((LogoutResponse) r).response()).isEqualTo(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY);
        assertThat(b.isActive()).isFalse();
        assertThat(a.isActive()).isFalse();
        assertThat(session.window().inFlight()).isZero();
        assertThat(session.connectionCount()).isZero();
    }

    @Test
    void closingTheOtherConnectionEndsItsWriteAndKeepsThisOne() throws Exception {
        EmbeddedChannel a = connect(true);
        EmbeddedChannel b = connect(true);
        writeWaitingForData(b, 0x22, first);
        a.writeInbound(new LogoutRequest(true, LogoutRequest.CLOSE_CONNECTION, 0x53, 1, first + 1, 0));
        b.runPendingTasks();
        IscsiPdu r = only(a);
        assertThat(r).isInstanceOf(LogoutResponse.class);
        assertThat(((LogoutResponse) r).response()).isEqualTo(LogoutResponse.CONNECTION_CLOSED_SUCCESSFULLY);
        assertThat(b.isActive()).isFalse();
        assertThat(a.isActive()).isTrue();
        assertThat(session.window().inFlight()).isZero();
        assertThat(session.connectionCount()).isOne();
        assertThat(readBack(a, 0x23)).as("the session goes on on the connection left").isNotNull();
    }
}
