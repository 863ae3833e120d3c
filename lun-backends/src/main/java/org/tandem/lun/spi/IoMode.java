package org.tandem.lun.spi;

/** IET's IOMode: write-through (every write durable before it completes), write-back, read-only. */
public enum IoMode {
    WT, WB, RO;

    /** Parses "wt", "wb" or "ro"; null when unknown. */
    public static IoMode parse(String name) {
        return switch (name) {
            case "wt" -> WT;
            case "wb" -> WB;
            case "ro" -> RO;
            default -> null;
        };
    }
}
