package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the rule lines of initiators.allow, initiators.deny or targets.allow, line by line as IET's match() did. */
final class AccessFileReader {
    /** AccessRules' logger: the log lines name the class that read the file, as they did before the split. */
    private static final Logger LOG = LogManager.getLogger(AccessRules.class);

    private AccessFileReader() {
    }

    /**
     * The rule lines of an existing file, as IET's match() reads them: up to and with the first ALL line, each
     * target's first line only, without a last line that has no newline; every line not read is warned about.
     */
    static List<AccessLine> read(Path file) throws ConfigException {
        List<String> text = ConfigText.read(file);
        List<AccessLine> lines = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int n = 1; n <= text.size(); n++) {
            String line = text.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (n == text.size() && !endsWithNewline(file)) {
                // IET's match() reads with fgets and skips a line that does not end in a newline
                LOG.warn("{}:{}: never read: the last line has no newline at its end, and IET skipped such a line"
                        + " (so does Tandem, to keep what IET did); end the file with a newline to apply it", file, n);
                break;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2) {
                throw new ConfigException(file, n, "expected 'TARGET|ALL LIST', got '" + line + "'");
            }
            List<AccessItem> items = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (String raw : parts[1].split(",")) {
                String item = raw.strip();
                if (!item.isEmpty()) {
                    AccessItem parsed = AccessItemParser.parse(file, n, item);
                    NeverMatchingRules.warnItem(file, n, item, parsed);
                    items.add(parsed);
                    texts.add(item);
                }
            }
            Integer first = firstLine.putIfAbsent(IscsiName.key(parts[0]), n);
            if (first != null) {
                LOG.warn("{}:{}: never read: line {} already names {}, and IET and Tandem consult only the first"
                        + " line for a target; put these items on line {}", file, n, first, parts[0], first);
                continue;
            }
            lines.add(new AccessLine(n, parts[0], items, List.copyOf(texts)));
            if (parts[0].equals("ALL")) {
                warnUnread(file, text, n);
                break;
            }
        }
        return List.copyOf(lines);
    }

    /** Whether the file's last byte ends a line (an empty file has no line to lose). */
    private static boolean endsWithNewline(Path file) throws ConfigException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() == 0) {
                return true;
            }
            f.seek(f.length() - 1);
            int last = f.read();
            return last == '\n' || last == '\r';
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rule lines after the ALL line are never read (IET stops there too): say so once, with the first of them. */
    private static void warnUnread(Path file, List<String> text, int allLine) {
        for (int n = allLine + 1; n <= text.size(); n++) {
            String line = text.get(n - 1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                LOG.warn("{}:{}: never read: reading stops at the ALL line (line {}), as in IET; move the lines"
                        + " from here on above it", file, n, allLine);
                return;
            }
        }
    }
}
