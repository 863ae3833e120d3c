package org.tandem.ha.config;

import java.nio.file.Path;

/** A cluster configuration line Tandem cannot accept: file, line, and what was expected there. */
public final class HaConfigException extends Exception {
    public HaConfigException(Path file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }

    public HaConfigException(String message) {
        super(message);
    }
}
