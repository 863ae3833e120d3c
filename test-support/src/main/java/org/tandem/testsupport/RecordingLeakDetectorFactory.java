package org.tandem.testsupport;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Makes Netty's leak detectors keep their reports as well as log them, so that a test can fail on them. Netty asks
 * the factory once per resource type, when the type's class is initialised ({@code AbstractByteBuf} for every
 * ByteBuf), so the factory only sees the types whose classes are initialised after it is installed.
 */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {
    private final Queue<String> reports = new ConcurrentLinkedQueue<>();
    private final Set<String> types = ConcurrentHashMap.newKeySet();

    @Override
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval) {
        types.add(resource.getName());
        return new Recording<>(resource, samplingInterval);
    }

    /** Netty's deprecated form, still abstract in 4.2; the limit on active resources was never used by Netty. */
    @Override
    @SuppressWarnings("deprecation")
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
            long maxActive) {
        return newResourceLeakDetector(resource, samplingInterval);
    }

    /** Whether the detector of this resource type (e.g. {@code io.netty.buffer.ByteBuf}) came from this factory. */
    boolean detects(Class<?> resource) {
        return types.contains(resource.getName());
    }

    /** The reports made since the last call, oldest first; each is reported once. */
    List<String> takeReports() {
        List<String> taken = new ArrayList<>();
        for (String r = reports.poll(); r != null; r = reports.poll()) {
            taken.add(r);
        }
        return taken;
    }

    /** A detector that logs as Netty's does and also keeps the report, whatever the logger's level. */
    private final class Recording<T> extends ResourceLeakDetector<T> {
        Recording(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        /** Netty skips reporting when its logger has ERROR off; a test must see the leak all the same. */
        @Override
        protected boolean needReport() {
            return true;
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            super.reportTracedLeak(resourceType, records);
            reports.add("LEAK: " + resourceType + ".release() was not called before it's garbage-collected."
                    + records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            super.reportUntracedLeak(resourceType);
            reports.add("LEAK: " + resourceType + ".release() was not called before it's garbage-collected"
                    + " (no access records: the leak detection level was below ADVANCED when it was allocated)");
        }
    }
}
