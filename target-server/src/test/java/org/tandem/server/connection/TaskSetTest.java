package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection's task set as other connections reach it: an abort asked by a task management function elsewhere
 * (RFC 7143 section 4.2.3.4, SAM-5's ABORT TASK SET and LOGICAL UNIT RESET) runs on this connection's event loop,
 * and its future completes once the tasks have stopped; an aborted task answers nothing and gives back its slot in
 * the session's command window.
 */
class TaskSetTest extends ConnectionJobTestBase {

    private FullFeatureHandler connection() {
        return bench.channel.pipeline().get(FullFeatureHandler.class);
    }

    @Test
    void anAbortFromElsewhereRunsOnTheOwningLoopAndCompletesWhenTheTasksStopped() throws Exception {
        open(false, 8192, 262144, 0);
        bench.clearUnitAttention();
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a;
        cdb[8] = 2;
        bench.answer(new ScsiCommand(true, true, false, true, ScsiTaskAttribute.SIMPLE, 0, 4, 1024, 1, 0, cdb, -1,
                Unpooled.EMPTY_BUFFER), ReadyToTransfer.class);
        assertThat(bench.session.window().inFlight()).isEqualTo(1);

        CompletableFuture<Void> aborted = connection().abortTasks(t -> t.initiatorTaskTag() == 4);
        assertThat(aborted).as("nothing ran yet: the abort waits for the connection's loop").isNotDone();
        assertThat(bench.sent()).as("an aborted task answers nothing").isEmpty();
        assertThat(aborted).isCompleted();
        assertThat(bench.session.window().inFlight()).as("its window slot is back").isZero();
    }

    @Test
    void anAbortThatMatchesNothingCompletesAtOnceOnTheLoop() throws Exception {
        open(false, 8192, 262144, 0);
        CompletableFuture<Void> aborted = connection().abortTasks(t -> true);
        bench.channel.runPendingTasks();
        assertThat(aborted).isCompleted();
    }
}
