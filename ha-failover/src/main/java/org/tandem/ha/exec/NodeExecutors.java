package org.tandem.ha.exec;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads a cluster node owns besides its actor and step threads, so that nothing of the cluster runs on a
 * thread of its own making: a timer thread for short work at a set time (a tickle round, a delayed session end), and
 * a pool for background work that may block for seconds (arping, the {@code drbdadm connect} after a forced
 * disconnect), which must not hold up the timers or each other. Every thread is a daemon: none keeps the JVM up.
 */
public final class NodeExecutors implements AutoCloseable {
    private final ScheduledExecutorService timers;
    private final ExecutorService background;

    private NodeExecutors(ScheduledExecutorService timers, ExecutorService background) {
        this.timers = timers;
        this.background = background;
    }

    /** Threads named tandem-cluster-timers and tandem-cluster-background(-N). */
    public static NodeExecutors start() {
        return new NodeExecutors(single("tandem-cluster-timers", Thread.NORM_PRIORITY),
                Executors.newCachedThreadPool(daemons("tandem-cluster-background", Thread.NORM_PRIORITY)));
    }

    /** One daemon thread named {@code name} (then name-1, name-2 if it is ever replaced) at {@code priority}. */
    public static ScheduledExecutorService single(String name, int priority) {
        return Executors.newSingleThreadScheduledExecutor(daemons(name, priority));
    }

    private static ThreadFactory daemons(String name, int priority) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, n.getAndIncrement() == 0 ? name : name + "-" + n.get());
            t.setDaemon(true);
            t.setPriority(priority);
            return t;
        };
    }

    /** For short tasks at a time; never for work that blocks (it would delay every timer after it). */
    public ScheduledExecutorService timers() {
        return timers;
    }

    /** For work that may block; each task gets a thread while it runs. */
    public Executor background() {
        return background;
    }

    /**
     * Takes no new work. What is already scheduled or running still runs (a tickle's second round, a session end
     * due in a few seconds, an arping series), as it did when each had a thread of its own.
     */
    @Override
    public void close() {
        timers.shutdown();
        background.shutdown();
    }
}
