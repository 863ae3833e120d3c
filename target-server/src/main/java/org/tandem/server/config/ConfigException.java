package org.tandem.server.config;

import java.nio.file.Path;

/**
 * A configuration Tandem cannot accept: for a file, says which file, which line, and what was expected there.
 */
public final class ConfigException extends Exception {
    public ConfigException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    /** A configuration that cannot be applied, not tied to a line (a change through the admin endpoint). */
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
