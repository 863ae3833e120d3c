package org.tandem.ha.takeover;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tandem.ha.config.Fencing;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.exec.NodeExecutors;
import org.tandem.ha.fencing.Fencer;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fence_delay: the node with a delay waits before it fences, so that in a split brain the node without one fences
 * first; if the peer speaks during the delay, it is not fenced. The wait is a scheduled task, not a sleep.
 */
class FencingStepTest {
    private final ScheduledExecutorService cluster = NodeExecutors.single("test-cluster", Thread.NORM_PRIORITY);
    private final ScheduledExecutorService steps = NodeExecutors.single("test-steps", Thread.NORM_PRIORITY);
    private final CountDownLatch fenced = new CountDownLatch(1);
    /** fencing none: "fenced" at once, without a command. */
    private final Fencer fencer = new Fencer(Fencing.none(), new CommandRunner(), Duration.ofSeconds(1));

    @AfterEach
    void close() {
        cluster.shutdownNow();
        steps.shutdownNow();
    }

    private FencingStep step(long delayMillis) {
        return new FencingStep("s2", delayMillis, fencer, cluster, steps, new FencingStep.Outcomes() {
            @Override
            public void fenced() {
                fenced.countDown();
            }

            @Override
            public void evaluate() {
            }
        });
    }

    private void onCluster(Runnable r) throws Exception {
        cluster.submit(r).get(5, TimeUnit.SECONDS);
    }

    @Test
    void thePeerIsFencedWhenItsDelayEnds() throws Exception {
        FencingStep f = step(200);
        long start = System.nanoTime();
        onCluster(() -> f.start("peer dead"));
        onCluster(() -> assertThat(f.running()).isTrue());

        assertThat(fenced.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
        onCluster(() -> {
            assertThat(f.running()).isFalse();
            assertThat(f.last().ok()).isTrue();
            assertThat(f.last().step()).isEqualTo("fence s2");
        });
    }

    @Test
    void aPeerThatSpeaksDuringTheDelayIsNotFenced() throws Exception {
        FencingStep f = step(300);
        onCluster(() -> f.start("peer dead"));
        Thread.sleep(50);
        onCluster(f::peerSpoke);

        assertThat(fenced.await(600, TimeUnit.MILLISECONDS)).as("no fencing after the delay").isFalse();
        onCluster(() -> assertThat(f.running()).isFalse());
    }

    @Test
    void aNodeClosedDuringTheDelayDoesNotFence() throws Exception {
        FencingStep f = step(300);
        onCluster(() -> f.start("peer dead"));
        f.close();

        assertThat(fenced.await(600, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void withNoDelayTheFencingStartsAtOnce() throws Exception {
        onCluster(() -> step(0).start("peer dead"));
        assertThat(fenced.await(1, TimeUnit.SECONDS)).isTrue();
    }
}
