package org.tandem.target.config;

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

/** Collects what one logger writes at WARN and above while a test runs, so the test can check the warnings. */
final class LogCapture implements AutoCloseable {
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final AbstractAppender appender;
    private final boolean addedLoggerConfig;

    private LogCapture(Class<?> source) {
        loggerName = source.getName();
        appender = new AbstractAppender("capture-" + System.identityHashCode(this), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLevel().isMoreSpecificThan(Level.WARN)) {
                    warnings.add(event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        Configuration config = context().getConfiguration();
        LoggerConfig logger = config.getLoggerConfig(loggerName);
        addedLoggerConfig = !logger.getName().equals(loggerName);
        if (addedLoggerConfig) {
            logger = new LoggerConfig(loggerName, Level.ALL, true);
            config.addLogger(loggerName, logger);
        }
        logger.addAppender(appender, Level.ALL, null);
        context().updateLoggers();
    }

    static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    @Override
    public void close() {
        Configuration config = context().getConfiguration();
        if (addedLoggerConfig) {
            config.removeLogger(loggerName);
        } else {
            config.getLoggerConfig(loggerName).removeAppender(appender.getName());
        }
        context().updateLoggers();
        appender.stop();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }
}
