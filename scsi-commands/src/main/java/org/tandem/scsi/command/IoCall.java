package org.tandem.scsi.command;

import java.io.IOException;

/** A unit of storage work that may throw IOException; runs on the I/O executor, never on an event loop. */
@FunctionalInterface
public interface IoCall<T> {
    T call() throws IOException;
}
