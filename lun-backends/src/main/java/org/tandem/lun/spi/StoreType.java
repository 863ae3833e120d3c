package org.tandem.lun.spi;

import java.util.Locale;

/** IET's Type= values, plus a memory store for tests. */
public enum StoreType {
    FILEIO, BLOCKIO, NULLIO, MEMORY;

    /** Parses an IET type name, case-insensitively; null when unknown. */
    public static StoreType parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
