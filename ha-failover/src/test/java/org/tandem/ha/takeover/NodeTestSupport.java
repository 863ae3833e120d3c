package org.tandem.ha.takeover;

import org.tandem.ha.config.Fencing;
import org.tandem.ha.exec.CommandRunner;
import org.tandem.ha.fencing.Fencer;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the cluster node tests share: a free UDP/TCP port, a bounded wait for a condition, and a fencing step that
 * needs no command.
 */
final class NodeTestSupport {
    private NodeTestSupport() {
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Fencing of peer s2 with fencing none ("fenced" at once, without a command); its outcomes go nowhere. */
    static FencingStep fencingNone(ScheduledExecutorService cluster, ScheduledExecutorService steps) {
        return new FencingStep("s2", 0, new Fencer(Fencing.none(), new CommandRunner(), Duration.ofSeconds(1)), cluster,
                steps, new FencingStep.Outcomes() {
                    @Override
                    public void fenced() {
                    }

                    @Override
                    public void evaluate() {
                    }
                });
    }

    /** Waits up to 10 s for the condition, polling every 10 ms, then asserts it. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }
}
