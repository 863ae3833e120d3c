package org.tandem.corpus;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the warnings (and worse) logged while it is open, through an appender on the root logger: what a user
 * would read in the daemon's log while a configuration loads.
 */
final class LogCapture implements AutoCloseable {
    private final List<String> messages = new ArrayList<>();
    private final AbstractAppender appender;
    private final LoggerConfig root;

    LogCapture() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration configuration = context.getConfiguration();
        appender = new AbstractAppender("corpus-capture-" + System.nanoTime(), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    synchronized (messages) {
                        messages.add(event.getMessage().getFormattedMessage());
                    }
                }
            }
        };
        appender.start();
        root = configuration.getRootLogger();
        root.addAppender(appender, Level.WARN, null);
        context.updateLoggers();
    }

    /** The warnings logged so far, formatted. */
    List<String> warnings() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        root.removeAppender(appender.getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        appender.stop();
    }
}
