package org.tandem.server.cli;

import java.util.Locale;

/** Sizes and latencies as tandemctl's tables show them to people. */
final class Units {
    private Units() {
    }

    /** Bytes in binary units: "512 B", "1.5 KiB", "150 MiB" (three significant digits at most), up to PiB. */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    /** A latency in seconds as milliseconds ("0.50 ms" below one, "12.3 ms" from one), or "-" for none (0). */
    static String millis(double seconds) {
        return seconds == 0 ? "-" : String.format(Locale.ROOT, seconds < 0.001 ? "%.2f ms" : "%.1f ms",
                seconds * 1000);
    }
}
