package org.tandem.server.config;

import java.nio.file.Path;

/**
 * Where a configuration value was written: a file and a line, so that what goes wrong later (a LUN that does not
 * open) can name them. {@link #NONE} for values that came from elsewhere (the admin endpoint).
 */
public record ConfigLine(Path file, int line) {
    public static final ConfigLine NONE = new ConfigLine(null, 0);

    /** "FILE:LINE: " to put before a message, or nothing when the value was not read from a file. */
    public String prefix() {
        return file == null ? "" : file + ":" + line + ": ";
    }
}
