package org.tandem.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects Netty's leak reports ("LEAK: ByteBuf.release() was not called...") while a test runs, so the test can
 * fail on them instead of leaving them in a log nobody reads. Netty logs through Log4j 2 here; the reports come
 * from the logger named after {@link ResourceLeakDetector}. Reports appear only after the garbage collector has
 * found the lost buffer and a later allocation polls for it: {@link #collect()} provokes both.
 */
final class LeakReports implements AutoCloseable {
    private static final String LOGGER = ResourceLeakDetector.class.getName();

    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AbstractAppender appender;
    private final boolean addedLoggerConfig;

    private LeakReports() {
        appender = new AbstractAppender("leak-reports-" + System.identityHashCode(this), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                String message = event.getMessage().getFormattedMessage();
                if (message.contains("LEAK")) {
                    reports.add(message);
                }
            }
        };
        appender.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig logger = config.getLoggerConfig(LOGGER);
        addedLoggerConfig = !logger.getName().equals(LOGGER);
        if (addedLoggerConfig) {
            logger = new LoggerConfig(LOGGER, Level.ALL, true);
            config.addLogger(LOGGER, logger);
        }
        logger.addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    /** Starts collecting; the leak detector must run at PARANOID (the parent pom sets it for every test). */
    static LeakReports watch() {
        return new LeakReports();
    }

    /**
     * Runs the collector and allocates, a bounded number of rounds, so that buffers lost so far get reported;
     * returns every report seen since {@link #watch()}.
     */
    List<String> collect() throws InterruptedException {
        for (int round = 0; round < 5; round++) {
            System.gc();
            Thread.sleep(100);
            for (int i = 0; i < 200; i++) {
                ByteBuf adaptive = ByteBufAllocator.DEFAULT.directBuffer(64);
                adaptive.release();
                ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(64);
                pooled.release();
                ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(64);
                unpooled.release();
            }
        }
        return List.copyOf(reports);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        if (addedLoggerConfig) {
            config.removeLogger(LOGGER);
        } else {
            config.getLoggerConfig(LOGGER).removeAppender(appender.getName());
        }
        context.updateLoggers();
        appender.stop();
    }
}
