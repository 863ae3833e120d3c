package org.tandem.server.config;

import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;
import org.tandem.server.negotiation.IscsiKey;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a running configuration back into ietd.conf's text, changing as little as it can: the global section,
 * comments, blank lines, settings and every line whose meaning did not change stay as written; a changed Lun or
 * account line is rewritten in place; lines of removed LUNs, accounts and targets go (a removed target's comments
 * with it, except those just above the next Target, which belong to that one); new LUNs follow the stanza's last
 * Lun line, new accounts its last account line; new targets are appended.
 */
public final class IetdConfWriter {
    private IetdConfWriter() {
    }

    /** One directive as written: its physical lines (with continuations), its name, and its stanza. */
    private record Entry(List<String> lines, String directive, String rest, String stanza) {
    }

    /** A run of lines that are comments or blank. */
    private record Filler(List<String> lines) {
    }

    public static String render(List<String> original, TandemConfig running) {
        Path file = running.file();
        List<Object> items = scan(ConfigText.withoutByteOrderMark(original)); // written back without it
        StringBuilder out = new StringBuilder();
        Set<String> written = new HashSet<>();
        int i = 0;
        // The global section and everything before the first Target line stays as it is.
        while (i < items.size() && !(items.get(i) instanceof Entry e && e.stanza() != null)) {
            append(out, items.get(i));
            i++;
        }
        // Each stanza runs from the comments just above its Target line (they describe it) to its last line.
        while (i < items.size()) {
            int begin = i;
            int targetAt = i;
            while (items.get(targetAt) instanceof Filler) {
                targetAt++;
            }
            int end = targetAt + 1;
            while (end < items.size() && !(items.get(end) instanceof Entry e && e.directive().equals("target"))) {
                end++;
            }
            if (end < items.size()) {
                while (end - 1 > targetAt && items.get(end - 1) instanceof Filler) {
                    end--;
                }
            }
            TargetConfig target = running.target(((Entry) items.get(targetAt)).stanza());
            if (target != null) {
                for (int k = begin; k < targetAt; k++) {
                    append(out, items.get(k));
                }
                stanza(out, file, items.subList(targetAt, end), target);
                written.add(target.name());
            }
            i = end;
        }
        for (TargetConfig t : running.targets()) {
            if (!written.contains(t.name())) {
                if (!out.isEmpty() && !out.toString().endsWith("\n\n")) {
                    out.append('\n');
                }
                newStanza(out, file, t);
            }
        }
        return out.toString();
    }

    private static void stanza(StringBuilder out, Path file, List<Object> items, TargetConfig target) {
        Set<Integer> keptLuns = new HashSet<>();
        Set<ChapAccount> keptIncoming = new HashSet<>();
        boolean outgoingWritten = false;
        int lastLun = -1;
        int lastAccount = -1;
        List<String> lines = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (Object item : items) {
            starts.add(lines.size());
            if (!(item instanceof Entry e)) {
                lines.addAll(((Filler) item).lines());
                continue;
            }
            switch (e.directive()) {
                case "lun" -> {
                    LunConfig was = parseLun(file, target.name(), e.rest());
                    LunConfig now = was == null ? null : target.lun(was.number());
                    if (now != null && keptLuns.add(now.number())) {
                        if (now.equals(was)) {
                            lines.addAll(e.lines());
                        } else {
                            lines.add(indent(e) + lunLine(file, now));
                        }
                        lastLun = lines.size();
                    }
                }
                case "incominguser" -> {
                    ChapAccount a = account(e.rest());
                    if (target.incoming().contains(a) && keptIncoming.add(a)) {
                        lines.addAll(e.lines());
                        lastAccount = lines.size();
                    }
                }
                case "outgoinguser" -> {
                    if (target.outgoing() != null && !outgoingWritten) {
                        ChapAccount a = account(e.rest());
                        if (a.equals(target.outgoing())) {
                            lines.addAll(e.lines());
                        } else {
                            lines.add(indent(e) + "OutgoingUser " + target.outgoing().name() + " "
                                    + target.outgoing().secret());
                        }
                        outgoingWritten = true;
                        lastAccount = lines.size();
                    }
                }
                default -> lines.addAll(e.lines());
            }
        }
        String indent = items.size() > 1 && items.get(1) instanceof Entry e ? indent(e) : "    ";
        List<String> newLuns = new ArrayList<>();
        for (LunConfig l : target.luns()) {
            if (!keptLuns.contains(l.number())) {
                newLuns.add(indent + lunLine(file, l));
            }
        }
        List<String> newAccounts = new ArrayList<>();
        for (ChapAccount a : target.incoming()) {
            if (!keptIncoming.contains(a)) {
                newAccounts.add(indent + "IncomingUser " + a.name() + " " + a.secret());
            }
        }
        if (target.outgoing() != null && !outgoingWritten) {
            newAccounts.add(indent + "OutgoingUser " + target.outgoing().name() + " " + target.outgoing().secret());
        }
        // Insert from the later position first so the earlier index stays valid.
        int lunAt = lastLun >= 0 ? lastLun : lastAccount >= 0 ? lastAccount : 1;
        int accountAt = lastAccount >= 0 ? lastAccount : 1;
        if (lunAt >= accountAt) {
            lines.addAll(lunAt, newLuns);
            lines.addAll(accountAt, newAccounts);
        } else {
            lines.addAll(accountAt, newAccounts);
            lines.addAll(lunAt, newLuns);
        }
        for (String l : lines) {
            out.append(l).append('\n');
        }
    }

    private static void newStanza(StringBuilder out, Path file, TargetConfig t) {
        out.append("Target ").append(t.name()).append('\n');
        if (t.alias() != null) {
            out.append("    Alias ").append(t.alias()).append('\n');
        }
        for (ChapAccount a : t.incoming()) {
            out.append("    IncomingUser ").append(a.name()).append(' ').append(a.secret()).append('\n');
        }
        if (t.outgoing() != null) {
            out.append("    OutgoingUser ").append(t.outgoing().name()).append(' ').append(t.outgoing().secret())
                    .append('\n');
        }
        for (LunConfig l : t.luns()) {
            out.append("    ").append(lunLine(file, l)).append('\n');
        }
        for (Map.Entry<IscsiKey, Integer> s : t.settings().explicitNumbers().entrySet()) {
            String value = s.getKey().directive().orElseThrow().text(s.getValue());
            out.append("    ").append(s.getKey().keyName()).append(' ').append(value).append('\n');
        }
        for (Map.Entry<IscsiKey, String> s : t.settings().explicitDigests().entrySet()) {
            out.append("    ").append(s.getKey().keyName()).append(' ').append(s.getValue()).append('\n');
        }
    }

    /** A Lun line for a LUN: the path relative to ietd.conf's directory when it lies below it. */
    static String lunLine(Path file, LunConfig l) {
        StoreSpec s = l.store();
        List<String> o = new ArrayList<>();
        if (s.path() != null) {
            Path dir = file.toAbsolutePath().getParent();
            Path p = s.path().startsWith(dir) ? dir.relativize(s.path()) : s.path();
            o.add("Path=" + p);
        }
        o.add("Type=" + s.type().name().toLowerCase(Locale.ROOT));
        if (s.type() != StoreType.NULLIO || s.ioMode() != IoMode.WT) {
            o.add("IOMode=" + s.ioMode().name().toLowerCase(Locale.ROOT));
        }
        if (s.blockSize() != 0) {
            o.add("BlockSize=" + s.blockSize());
        }
        if (s.blocks() > 0) {
            o.add("Blocks=" + s.blocks());
        }
        if (l.scsiId() != null) {
            o.add("ScsiId=" + l.scsiId());
        }
        if (l.scsiSn() != null) {
            o.add("ScsiSN=" + l.scsiSn());
        }
        return "Lun " + l.number() + " " + String.join(",", o);
    }

    private static LunConfig parseLun(Path file, String target, String rest) {
        try {
            return IetdConfParser.parse(file, "Target " + target + "\nLun " + rest + "\n").targets().get(0).luns()
                    .get(0);
        } catch (ConfigException e) {
            return null; // the running configuration came from this file, so this does not happen; drop the line
        }
    }

    private static ChapAccount account(String rest) {
        String[] parts = rest.split("\\s+");
        return parts.length == 2 ? new ChapAccount(parts[0], parts[1]) : new ChapAccount(rest, "");
    }

    private static String indent(Entry e) {
        String first = e.lines().get(0);
        return first.substring(0, first.length() - first.stripLeading().length());
    }

    private static void append(StringBuilder out, Object item) {
        List<String> lines = item instanceof Entry e ? e.lines() : ((Filler) item).lines();
        for (String l : lines) {
            out.append(l).append('\n');
        }
    }

    /** Splits the text into directives and runs of comments/blank lines, as the parser reads it. */
    private static List<Object> scan(List<String> text) {
        List<Object> items = new ArrayList<>();
        List<String> filler = new ArrayList<>();
        List<String> physical = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        String stanza = null;
        for (String raw : text) {
            if (physical.isEmpty() && (raw.strip().isEmpty() || raw.strip().startsWith("#"))) {
                filler.add(raw);
                continue;
            }
            physical.add(raw);
            if (raw.endsWith("\\")) {
                joined.append(raw, 0, raw.length() - 1);
                continue;
            }
            joined.append(raw);
            if (!filler.isEmpty()) {
                items.add(new Filler(List.copyOf(filler)));
                filler.clear();
            }
            String[] words = joined.toString().strip().split("\\s+", 2);
            String directive = words[0].toLowerCase(Locale.ROOT);
            String rest = words.length > 1 ? words[1].strip() : "";
            if (directive.equals("target")) {
                stanza = rest;
            }
            items.add(new Entry(List.copyOf(physical), directive, rest, stanza));
            physical.clear();
            joined.setLength(0);
        }
        physical.forEach(filler::add);
        if (!filler.isEmpty()) {
            items.add(new Filler(List.copyOf(filler)));
        }
        return items;
    }
}
