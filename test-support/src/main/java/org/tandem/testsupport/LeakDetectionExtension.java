package org.tandem.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * Fails a test when Netty reports a leaked resource (a ByteBuf that was never released) during it, instead of leaving
 * the report in a log nobody reads (CONVENTIONS: one owner per ByteBuf). Registered by JUnit's extension
 * auto-detection (META-INF/services, with {@code junit.jupiter.extensions.autodetection.enabled=true} in surefire's
 * configuration), so every test of a module that depends on test-support is checked without any annotation.
 *
 * <p>Netty finds a leak only after the garbage collector has found the lost buffer and a later tracked allocation
 * polls for it, so after each test the extension provokes both. A leak the collector finds late fails the test
 * then running; the report's access records name where the buffer was allocated and touched. Leaks are traced at
 * every allocation only at {@code -Dio.netty.leakDetection.level=paranoid}, which the parent pom sets for surefire.
 * Netty reports a leak with the same access records only once per JVM, so a leak repeated by later tests fails
 * only the first of them.
 */
public final class LeakDetectionExtension implements AfterEachCallback {
    /** Collections per check: one finds a dropped buffer; the second, one reachable only from what the first freed. */
    private static final int ROUNDS = 2;
    /** Longest wait for the reference handler after a collection; it usually takes well under a millisecond. */
    private static final long SENTINEL_WAIT_MILLIS = 200;
    private static final RecordingLeakDetectorFactory FACTORY = install();

    /**
     * Installs the recording factory while the ServiceLoader creates this extension, which JUnit does before any
     * test class is initialised, so before Netty creates its ByteBuf detector (once, in AbstractByteBuf's static
     * initialiser). The allocation initialises that class now, so that {@link #afterEach} can tell whether it was
     * too late.
     */
    private static RecordingLeakDetectorFactory install() {
        RecordingLeakDetectorFactory factory = new RecordingLeakDetectorFactory();
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(factory);
        poll();
        return factory;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        if (!FACTORY.detects(ByteBuf.class)) {
            throw new AssertionError("Netty's ByteBuf leak detector was created before LeakDetectionExtension could"
                    + " install its factory (something initialised Netty's buffers before JUnit loaded its"
                    + " extensions), so leaks cannot fail tests here");
        }
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) by the end of "
                    + context.getDisplayName() + " (the access records say where each buffer was allocated; a leak"
                    + " found late may be an earlier test's):\n" + String.join("\n", leaks));
        }
    }

    /**
     * Runs the garbage collector and a tracked allocation so that resources lost so far get reported, and returns
     * the reports not returned before (each leak once). Empty when the leak detection level is DISABLED.
     */
    public static List<String> collectLeaks() throws InterruptedException {
        for (int round = 0; round < ROUNDS; round++) {
            collectGarbage();
            poll();
        }
        return FACTORY.takeReports();
    }

    /**
     * A full collection, then a wait (bounded) until the reference handler thread has enqueued a sentinel cleared
     * by it: the handler enqueues what one collection cleared together, so Netty's lost references are queued by
     * then too. Cheaper and steadier than sleeping a fixed time.
     */
    private static void collectGarbage() throws InterruptedException {
        ReferenceQueue<Object> cleared = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), cleared);
        System.gc();
        cleared.remove(SENTINEL_WAIT_MILLIS);
        Reference.reachabilityFence(sentinel);
    }

    /**
     * A tracked allocation: at PARANOID tracking a buffer first polls the references the collector found lost. In
     * Netty 4.2 the default allocator's buffers are tracked, {@code Unpooled.buffer()}'s heap buffers are not.
     */
    private static void poll() {
        ByteBufAllocator.DEFAULT.directBuffer(1).release();
    }
}
