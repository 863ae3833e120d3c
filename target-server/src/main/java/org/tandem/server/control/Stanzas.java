package org.tandem.server.control;

import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TargetConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ietd.conf text made up for a change (a new target, a LUN, CHAP accounts), parsed by the same parser as the
 * file, so that whatever runs can be saved back to it. Every refusal is INVALID, with the parser's message but
 * without the "file:line: " of text the caller never saw.
 */
final class Stanzas {
    private static final Pattern LOCATION = Pattern.compile("^.*?:\\d+: ");

    private final Path file;

    /** @param file the ietd.conf the text would belong to (the parser resolves relative Lun paths against it) */
    Stanzas(Path file) {
        this.file = file;
    }

    /** Parses one Target stanza. */
    TargetConfig parse(String text) throws ControlException {
        try {
            return IetdConfParser.parse(file, text).targets().get(0);
        } catch (ConfigException e) {
            throw ControlException.invalid(withoutLocation(e));
        }
    }

    /** The Lun line for LUN {@code number} of {@code target}, from the options a request gives. */
    LunConfig lun(String target, int number, LunRequest r) throws ControlException {
        List<String> options = new ArrayList<>();
        option(options, "Path", r.path());
        option(options, "Type", r.type());
        option(options, "IOMode", r.ioMode());
        option(options, "BlockSize", r.blockSize());
        option(options, "Blocks", r.blocks());
        option(options, "ScsiId", r.scsiId());
        option(options, "ScsiSN", r.scsiSn());
        if (options.isEmpty()) {
            throw ControlException.invalid("a LUN needs a path (or type nullio)");
        }
        for (String o : options) {
            if (o.contains(",") || o.chars().anyMatch(Character::isWhitespace)) {
                throw ControlException.invalid("'" + o + "' cannot be written in ietd.conf (no commas or spaces"
                        + " in Lun options)");
            }
        }
        return parse("Target " + target + "\nLun " + number + " " + String.join(",", options) + "\n")
                .luns().get(0);
    }

    private static void option(List<String> options, String name, Object value) {
        if (value != null) {
            options.add(name + "=" + value);
        }
    }

    /** A parser message without the "file:line: " of the text made up here. */
    static String withoutLocation(ConfigException e) {
        return LOCATION.matcher(e.getMessage()).replaceFirst("");
    }

    /** {@code value} stripped, refused unless it fits on one ietd.conf line as it is ({@code what} names it). */
    static String oneLine(String value, String what) throws ControlException {
        if (value == null || value.isBlank() || value.contains("\n") || value.contains("\r")
                || value.contains("\\")) {
            throw ControlException.invalid(what + " must be one line of text without backslashes");
        }
        return value.strip();
    }
}
