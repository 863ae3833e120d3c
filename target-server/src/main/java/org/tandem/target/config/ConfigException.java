package org.tandem.target.config;

import java.nio.file.Path;

/** A configuration line Tandem cannot accept: says which file, which line, and what was expected there. */
public final class ConfigException extends Exception {
    public ConfigException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
