package org.tandem.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.launcher.listeners.TestExecutionSummary.Failure;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A ByteBuf that is never released fails the test that dropped it, with Netty's report naming where it was
 * allocated; a test that releases its buffers passes. (Buffers come from Netty's default allocator: in Netty 4.2
 * {@code Unpooled.buffer()}'s heap buffers are not tracked at all.)
 */
class LeakDetectionExtensionTest {

    /**
     * Run only through the launcher below: surefire skips nested classes, and the JUnit engine finds a static nested
     * class without {@code @Nested} only when it is selected itself.
     */
    static class Leaking {
        @Test
        void releasesItsBuffer() {
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
            buf.writeInt(7);
            buf.release();
        }

        @Test
        void dropsItsBuffer() {
            ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(16);
            buf.writeInt(7); // the last access; the leak report lists it
        }
    }

    @Test
    void aBufferNeverReleasedFailsTheTestThatDroppedIt() {
        TestExecutionSummary summary = run(Leaking.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getFailures()).hasSize(1);
        Failure failure = summary.getFailures().get(0);
        assertThat(failure.getTestIdentifier().getDisplayName()).isEqualTo("dropsItsBuffer()");
        assertThat(failure.getException()).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Netty reported 1 leak(s) by the end of dropsItsBuffer()")
                .hasMessageContaining("LEAK: ByteBuf.release() was not called before it's garbage-collected.")
                .hasMessageContaining("Leaking.dropsItsBuffer(LeakDetectionExtensionTest.java:");
    }

    @Test
    void eachLeakIsReportedOnce() throws InterruptedException {
        dropABuffer();

        List<String> first = LeakDetectionExtension.collectLeaks();
        List<String> second = LeakDetectionExtension.collectLeaks();

        assertThat(first).singleElement().asString().contains("LEAK: ByteBuf.release() was not called",
                "dropABuffer");
        assertThat(second).isEmpty();
    }

    @Test
    void releasedBuffersAreNoLeak() throws InterruptedException {
        ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1);
        ByteBuf slice = buf.retainedSlice(0, 4);
        slice.release();
        buf.release();

        assertThat(LeakDetectionExtension.collectLeaks()).isEmpty();
    }

    /** In a method of its own, so that no local variable of the test keeps the buffer reachable. */
    private static void dropABuffer() {
        ByteBufAllocator.DEFAULT.heapBuffer(8).writeByte(1);
    }

    private static TestExecutionSummary run(Class<?> tests) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(tests))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        return listener.getSummary();
    }
}
