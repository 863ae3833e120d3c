package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a file target-server reads (ietd.conf and the access files), as UTF-8. Windows editors may start a
 * file with a UTF-8 byte order mark; IET took it as part of the first word, so the first line of ietd.conf was an
 * unknown directive and the first line of an access file named no target and silently restricted nothing. Tandem
 * reads past it and says so.
 */
final class ConfigText {
    private static final Logger LOG = LogManager.getLogger(ConfigText.class);
    static final char BYTE_ORDER_MARK = '\uFEFF';

    private ConfigText() {
    }

    /** The file's lines, a leading byte order mark removed with a warning. */
    static List<String> read(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ConfigException("cannot read " + file + ": it is not UTF-8 text (perhaps saved as UTF-16 or"
                    + " Latin-1 by an editor): save it as UTF-8", e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (startsWithByteOrderMark(lines)) {
            LOG.warn("{}:1: the file starts with a UTF-8 byte order mark (an invisible character some Windows"
                    + " editors write); read past it. IET took it as part of the first word of line 1; save the"
                    + " file as UTF-8 without BOM", file);
        }
        return withoutByteOrderMark(lines);
    }

    /** The lines without a leading byte order mark (for rewriting a file that was read with {@link #read}). */
    static List<String> withoutByteOrderMark(List<String> lines) {
        if (!startsWithByteOrderMark(lines)) {
            return lines;
        }
        List<String> rest = new ArrayList<>(lines);
        rest.set(0, lines.get(0).substring(1));
        return rest;
    }

    /** The text with invisible characters (a byte order mark, controls, zero-width spaces) shown as \\uXXXX. */
    static String visible(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.CONTROL) {
                out.append(String.format("\\u%04X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean startsWithByteOrderMark(List<String> lines) {
        return !lines.isEmpty() && !lines.get(0).isEmpty() && lines.get(0).charAt(0) == BYTE_ORDER_MARK;
    }
}
