package org.tandem.server.session;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session's window: non-immediate PDUs delivered in CmdSN order (RFC 7143 section 3.2.2.1), across event
 * loops as MC/S connections have them, ABORT TASK of a command never received (section 11.6.1), MaxCmdSN.
 */
class CommandWindowTest {
    private final List<DefaultEventLoop> loops = new ArrayList<>();

    @AfterEach
    void stopLoops() {
        loops.forEach(l -> l.shutdownGracefully(0, 1, TimeUnit.SECONDS));
    }

    /** A PDU that notes its delivery: order, thread, and whether another delivery ran at the same time. */
    private static final class Recorded implements OrderedPdu {
        final int cmdSn;
        final EventExecutor loop;
        final List<Integer> delivered;
        final AtomicInteger busy;
        final List<String> faults;
        boolean discarded;

        Recorded(int cmdSn, EventExecutor loop, List<Integer> delivered, AtomicInteger busy, List<String> faults) {
            this.cmdSn = cmdSn;
            this.loop = loop;
            this.delivered = delivered;
            this.busy = busy;
            this.faults = faults;
        }

        @Override
        public EventExecutor executor() {
            return loop;
        }

        @Override
        public void deliver() {
            if (!loop.inEventLoop()) {
                faults.add(cmdSn + " delivered off its loop");
            }
            if (busy.incrementAndGet() != 1) {
                faults.add(cmdSn + " delivered while another delivery ran");
            }
            delivered.add(cmdSn);
            busy.decrementAndGet();
        }

        @Override
        public void discard() {
            discarded = true;
        }
    }

    private final List<Integer> delivered = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger busy = new AtomicInteger();
    private final List<String> faults = Collections.synchronizedList(new ArrayList<>());

    private Recorded pdu(int cmdSn) {
        return new Recorded(cmdSn, ImmediateEventExecutor.INSTANCE, delivered, busy, faults);
    }

    private Recorded pdu(int cmdSn, EventExecutor loop) {
        return new Recorded(cmdSn, loop, delivered, busy, faults);
    }

    @Test
    void aGapHoldsLaterPdusAndTheirSlotsStayInTheWindow() {
        CommandWindow w = new CommandWindow(1, 32);
        assertThat(w.admit(2, pdu(2))).isTrue();
        assertThat(w.admit(3, pdu(3))).isTrue();
        assertThat(delivered).isEmpty();
        assertThat(w.expCmdSn()).isEqualTo(1);
        assertThat(w.held()).isEqualTo(2);
        assertThat(w.maxCmdSn()).as("held PDUs do not move the window").isEqualTo(32);

        assertThat(w.admit(1, pdu(1))).isTrue();
        assertThat(delivered).containsExactly(1, 2, 3);
        assertThat(w.expCmdSn()).isEqualTo(4);
        assertThat(w.held()).isZero();
        assertThat(w.maxCmdSn()).isEqualTo(35);
        assertThat(faults).isEmpty();
    }

    @Test
    void outsideTheWindowTheCallerKeepsThePdu() {
        CommandWindow w = new CommandWindow(10, 4);
        Recorded beyond = pdu(14);
        assertThat(w.admit(14, beyond)).as("MaxCmdSN is 13").isFalse();
        assertThat(w.admit(9, pdu(9))).isFalse();
        assertThat(w.admit(13, pdu(13))).isTrue();
        assertThat(w.admit(13, pdu(13))).as("duplicate").isFalse();
        assertThat(beyond.discarded).as("refused PDUs stay the caller's").isFalse();
        assertThat(delivered).isEmpty();
    }

    @Test
    void maxCmdSnCountsRunningCommandsAndNeverMovesBack() {
        CommandWindow w = new CommandWindow(0, 4);
        w.admit(0, pdu(0));
        w.started();
        w.admit(1, pdu(1));
        w.started();
        assertThat(w.maxCmdSn()).as("ExpCmdSN 2 + (4 - 2 running) - 1").isEqualTo(3);
        w.finished();
        assertThat(w.maxCmdSn()).isEqualTo(4);
        assertThat(w.inFlight()).isEqualTo(1);
    }

    @Test
    void abortTaskOfACommandNeverReceivedFillsItsCmdSn() {
        CommandWindow w = new CommandWindow(100, 32);
        w.admit(101, pdu(101));
        w.admit(102, pdu(102));
        // Immediate ABORT TASK with CmdSN 103 (the next to be used) for the command numbered 100.
        assertThat(w.considerReceived(100, 103, true)).isTrue();
        assertThat(delivered).containsExactly(101, 102);
        assertThat(w.expCmdSn()).isEqualTo(103);
        Recorded late = pdu(100);
        assertThat(w.admit(100, late)).as("the aborted command arriving late is not taken").isFalse();
        assertThat(delivered).containsExactly(101, 102);
    }

    @Test
    void abortTaskOutsideTheCaseOfSection11_6_1bChangesNothing() {
        CommandWindow w = new CommandWindow(100, 32);
        assertThat(w.considerReceived(99, 103, true)).as("RefCmdSN below the window").isFalse();
        assertThat(w.considerReceived(132, 140, true)).as("RefCmdSN beyond MaxCmdSN").isFalse();
        assertThat(w.considerReceived(103, 103, true)).as("RefCmdSN not below the request's CmdSN").isFalse();
        assertThat(w.considerReceived(100, 140, false)).as("a non-immediate request outside the window")
                .isFalse();
        assertThat(w.expCmdSn()).isEqualTo(100);
        // A non-immediate ABORT TASK at 101 for 100: 100 is received, and the request itself is next.
        assertThat(w.considerReceived(100, 101, false)).isTrue();
        assertThat(w.expCmdSn()).isEqualTo(101);
        assertThat(w.admit(101, pdu(101))).isTrue();
        assertThat(delivered).containsExactly(101);
    }

    @Test
    void discardedHeldPdusAreReleasedAndTheWindowStillMovesPastThem() {
        CommandWindow w = new CommandWindow(0, 8);
        Recorded held = pdu(1);
        w.admit(1, held);
        w.admit(2, pdu(2));
        w.discardHeld(p -> p == held);
        assertThat(held.discarded).isTrue();
        w.admit(0, pdu(0));
        assertThat(delivered).containsExactly(0, 2);
        assertThat(w.expCmdSn()).isEqualTo(3);
    }

    @Test
    void deliveryFollowsCmdSnAcrossEventLoops() throws Exception {
        DefaultEventLoop a = loop();
        DefaultEventLoop b = loop();
        CommandWindow w = new CommandWindow(5, 32);
        // 6 and 8 arrive on B, 7 on A, all ahead of 5; then 5 arrives on A.
        b.submit(() -> w.admit(6, pdu(6, b))).get();
        a.submit(() -> w.admit(7, pdu(7, a))).get();
        b.submit(() -> w.admit(8, pdu(8, b))).get();
        assertThat(delivered).isEmpty();
        a.submit(() -> w.admit(5, pdu(5, a))).get();
        awaitDelivered(4);
        assertThat(delivered).containsExactly(5, 6, 7, 8);
        assertThat(faults).isEmpty();
    }

    @Test
    void manyPdusShuffledOverThreeLoopsAreDeliveredInOrderAcrossTheWrap() throws Exception {
        List<DefaultEventLoop> conns = List.of(loop(), loop(), loop());
        int first = 0xffffff00;
        int depth = 32;
        int batches = 60;
        CommandWindow w = new CommandWindow(first, depth);
        Random random = new Random(7);
        for (int batch = 0; batch < batches; batch++) {
            List<Integer> sns = new ArrayList<>();
            for (int i = 0; i < depth; i++) {
                sns.add(first + batch * depth + i);
            }
            Collections.shuffle(sns, random);
            CountDownLatch admitted = new CountDownLatch(depth);
            for (int sn : sns) {
                DefaultEventLoop owner = conns.get(random.nextInt(conns.size()));
                owner.execute(() -> {
                    if (!w.admit(sn, pdu(sn, owner))) {
                        faults.add(sn + " refused");
                    }
                    admitted.countDown();
                });
            }
            assertThat(admitted.await(5, TimeUnit.SECONDS)).isTrue();
            awaitDelivered((batch + 1) * depth);
            w.maxCmdSn(); // advertise the next window, as a response would
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < batches * depth; i++) {
            expected.add(first + i);
        }
        assertThat(faults).isEmpty();
        assertThat(delivered).containsExactlyElementsOf(expected);
        assertThat(w.expCmdSn()).isEqualTo(first + batches * depth);
    }

    private DefaultEventLoop loop() {
        DefaultEventLoop l = new DefaultEventLoop();
        loops.add(l);
        return l;
    }

    private void awaitDelivered(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (delivered.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(delivered).hasSize(n);
    }
}
