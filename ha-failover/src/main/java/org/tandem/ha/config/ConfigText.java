package org.tandem.ha.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of ha.cf, haresources and authkeys: UTF-8 lines. Some editors save a byte order mark (U+FEFF) first;
 * it is invisible, yet it would become part of the first word (a node name, a directive) and give an error that
 * names what looks like a correct word. It is skipped, with a warning.
 */
final class ConfigText {
    private static final Logger LOG = LogManager.getLogger(ConfigText.class);
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private ConfigText() {
    }

    /** {@code lines} without a byte order mark at the start of the first line (logged once if there was one). */
    static List<String> withoutByteOrderMark(Path file, List<String> lines) {
        if (lines.isEmpty() || lines.get(0).isEmpty() || lines.get(0).charAt(0) != BYTE_ORDER_MARK) {
            return lines;
        }
        LOG.warn("{}:1: the file starts with a UTF-8 byte order mark (an editor added it); Tandem skips it, Heartbeat"
                + " would have read it as part of the first word: save the file without it, e.g. sed -i"
                + " '1s/^\\xEF\\xBB\\xBF//' {}", file, file);
        List<String> out = new ArrayList<>(lines);
        out.set(0, lines.get(0).substring(1));
        return out;
    }
}
