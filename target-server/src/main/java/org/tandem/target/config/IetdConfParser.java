package org.tandem.target.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads ietd.conf as IET does (see shared/reference/ietd-conf.md): '#' comments at the start of a line, a trailing
 * backslash joining lines, case-insensitive directive names, case-sensitive Yes/No, decimal or 0x numbers.
 * Relative LUN paths are resolved against the file's directory. Directives IET knew but Tandem has no use for are
 * accepted with one warning each; anything else fails with file, line and what was expected.
 */
public final class IetdConfParser {
    private static final Logger LOG = LogManager.getLogger(IetdConfParser.class);
    private static final Pattern TARGET_NAME = Pattern.compile("(iqn\\.\\d{4}-\\d{2}\\.[^\\s]+|eui\\.[0-9A-Fa-f]{16}"
            + "|naa\\.[0-9A-Fa-f]{16}([0-9A-Fa-f]{16})?)");
    private static final Set<String> IGNORED = Set.of("isnsserver", "isnsaccesscontrol", "ofmarker", "ifmarker",
            "ofmarkint", "ifmarkint", "rsppdutimeout", "redirect");
    private static final int MAX_LUN = 16383;

    private final Path file;
    private final List<ChapAccount> discoveryIncoming = new ArrayList<>();
    private ChapAccount discoveryOutgoing;
    private final List<TargetConfig> targets = new ArrayList<>();
    private Stanza stanza;

    /** The target being read. */
    private static final class Stanza {
        final String name;
        final int line;
        String alias;
        final List<LunConfig> luns = new ArrayList<>();
        final List<ChapAccount> incoming = new ArrayList<>();
        ChapAccount outgoing;
        final TargetSettings.Builder settings = new TargetSettings.Builder();
        final Set<Integer> lunNumbers = new HashSet<>();

        Stanza(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    private IetdConfParser(Path file) {
        this.file = file;
    }

    /** Reads ietd.conf and the initiators.allow, targets.allow and initiators.deny beside it. */
    public static TandemConfig read(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e, e);
        }
        IetdConfParser p = new IetdConfParser(file);
        p.parse(lines);
        Path dir = file.toAbsolutePath().getParent();
        return new TandemConfig(file, List.copyOf(p.discoveryIncoming), p.discoveryOutgoing, List.copyOf(p.targets),
                AccessRules.read(dir.resolve("initiators.allow")), AccessRules.read(dir.resolve("targets.allow")),
                AccessRules.read(dir.resolve("initiators.deny")));
    }

    /** Parses text as if read from {@code file} (which names errors and anchors relative paths). */
    public static TandemConfig parse(Path file, String text) throws ConfigException {
        IetdConfParser p = new IetdConfParser(file);
        p.parse(text.lines().toList());
        return new TandemConfig(file, List.copyOf(p.discoveryIncoming), p.discoveryOutgoing, List.copyOf(p.targets),
                AccessRules.allowAll(), AccessRules.allowAll());
    }

    private void parse(List<String> lines) throws ConfigException {
        StringBuilder joined = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (joined.isEmpty()) {
                start = i + 1;
                if (raw.strip().startsWith("#")) {
                    continue;
                }
            }
            if (raw.endsWith("\\")) {
                joined.append(raw, 0, raw.length() - 1); // joined as written: a Lun option list may be split
                continue;
            }
            joined.append(raw);
            String line = joined.toString().strip();
            joined.setLength(0);
            if (!line.isEmpty()) {
                directive(start, line);
            }
        }
        if (!joined.isEmpty()) {
            throw new ConfigException(file, start, "line continued with '\\' at the end of the file");
        }
        finishStanza();
    }

    private void directive(int n, String line) throws ConfigException {
        String[] words = line.split("\\s+", 2);
        String name = words[0].toLowerCase(Locale.ROOT);
        String rest = words.length > 1 ? words[1].strip() : "";
        switch (name) {
            case "target" -> {
                finishStanza();
                if (!TARGET_NAME.matcher(rest).matches()) {
                    throw new ConfigException(file, n, "expected 'Target iqn.YYYY-MM.reversed.domain[:id]' (or eui./naa."
                            + " name), got 'Target " + rest + "'");
                }
                for (TargetConfig t : targets) {
                    if (t.name().equals(rest)) {
                        throw new ConfigException(file, n, "target " + rest + " is defined twice");
                    }
                }
                stanza = new Stanza(rest, n);
            }
            case "incominguser" -> {
                ChapAccount a = account(n, rest, "IncomingUser");
                (stanza == null ? discoveryIncoming : stanza.incoming).add(a);
            }
            case "outgoinguser" -> {
                ChapAccount a = account(n, rest, "OutgoingUser");
                if (stanza == null) {
                    if (discoveryOutgoing != null) {
                        throw new ConfigException(file, n, "only one OutgoingUser is allowed in the global section");
                    }
                    discoveryOutgoing = a;
                } else {
                    if (stanza.outgoing != null) {
                        throw new ConfigException(file, n, "only one OutgoingUser is allowed per target");
                    }
                    stanza.outgoing = a;
                }
            }
            case "lun" -> inStanza(n, "Lun").luns.add(lun(n, rest));
            case "alias" -> {
                if (rest.isEmpty()) {
                    throw new ConfigException(file, n, "expected 'Alias TEXT'");
                }
                inStanza(n, "Alias").alias = rest;
            }
            default -> {
                TargetSetting setting = TargetSetting.byDirective(words[0]);
                if (setting != null) {
                    setting(n, inStanza(n, setting.directive()), setting, rest);
                } else if (IGNORED.contains(name)) {
                    LOG.warn("{}:{}: IET directive {} has no effect in Tandem; ignored", file, n, words[0]);
                } else {
                    throw new ConfigException(file, n, "unknown directive '" + words[0] + "' (expected Target, Lun,"
                            + " IncomingUser, OutgoingUser, Alias or a target setting such as MaxConnections)");
                }
            }
        }
    }

    private Stanza inStanza(int n, String directive) throws ConfigException {
        if (stanza == null) {
            throw new ConfigException(file, n, directive + " belongs inside a Target stanza");
        }
        return stanza;
    }

    private ChapAccount account(int n, String rest, String directive) throws ConfigException {
        String[] parts = rest.split("\\s+");
        if (rest.isEmpty() || parts.length != 2) {
            throw new ConfigException(file, n, "expected '" + directive + " NAME SECRET'");
        }
        int length = parts[1].getBytes(StandardCharsets.UTF_8).length;
        if (length < 12 || length > 16) {
            LOG.warn("{}:{}: the {} secret of '{}' is {} bytes; Microsoft's initiator accepts only 12 to 16",
                    file, n, directive, parts[0], length);
        }
        return new ChapAccount(parts[0], parts[1]);
    }

    private LunConfig lun(int n, String rest) throws ConfigException {
        String[] words = rest.split("\\s+");
        if (words.length != 2) {
            throw new ConfigException(file, n, "expected 'Lun N Path=...,Type=...' with no spaces in the option list");
        }
        int number = number(n, words[0], "LUN number");
        if (number < 0 || number > MAX_LUN) {
            throw new ConfigException(file, n, "LUN number " + number + " out of range 0-" + MAX_LUN);
        }
        if (!stanza.lunNumbers.add(number)) {
            throw new ConfigException(file, n, "LUN " + number + " is defined twice in target " + stanza.name);
        }
        StoreType type = StoreType.FILEIO;
        Path path = null;
        IoMode mode = IoMode.WT;
        int blockSize = 0;
        long blocks = 0;
        String scsiId = null;
        String scsiSn = null;
        for (String option : words[1].split(",")) {
            int eq = option.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(file, n, "expected NAME=VALUE in the Lun options, got '" + option + "'");
            }
            String key = option.substring(0, eq).toLowerCase(Locale.ROOT);
            String value = option.substring(eq + 1);
            switch (key) {
                case "path" -> path = file.toAbsolutePath().getParent().resolve(value).normalize();
                case "type" -> {
                    type = StoreType.parse(value);
                    if (type == null || type == StoreType.MEMORY) {
                        throw new ConfigException(file, n, "expected Type=fileio, blockio or nullio, got '" + value + "'");
                    }
                }
                case "iomode" -> {
                    mode = IoMode.parse(value);
                    if (mode == null) {
                        throw new ConfigException(file, n, "expected IOMode=wt, wb or ro, got '" + value + "'");
                    }
                }
                case "blocksize" -> {
                    blockSize = number(n, value, "BlockSize");
                    if (blockSize != 512 && blockSize != 1024 && blockSize != 2048 && blockSize != 4096) {
                        throw new ConfigException(file, n, "expected BlockSize=512, 1024, 2048 or 4096, got " + value);
                    }
                }
                case "blocks" -> blocks = number(n, value, "Blocks");
                case "scsiid" -> scsiId = identifier(n, value, "ScsiId");
                case "scsisn" -> scsiSn = identifier(n, value, "ScsiSN");
                default -> throw new ConfigException(file, n, "unknown Lun option '" + option.substring(0, eq)
                        + "' (expected Path, Type, IOMode, BlockSize, Blocks, ScsiId or ScsiSN)");
            }
        }
        if (path == null && type != StoreType.NULLIO) {
            throw new ConfigException(file, n, "Type=" + type.name().toLowerCase(Locale.ROOT) + " needs Path=");
        }
        return new LunConfig(number, new StoreSpec(type, path, mode, blockSize, blocks), scsiId, scsiSn);
    }

    private String identifier(int n, String value, String what) throws ConfigException {
        if (value.isEmpty() || value.length() > 16 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigException(file, n, what + " must be 1 to 16 printable ASCII characters, got '" + value + "'");
        }
        return value;
    }

    private void setting(int n, Stanza s, TargetSetting setting, String value) throws ConfigException {
        switch (setting.kind()) {
            case DIGEST -> {
                for (String v : value.split(",")) {
                    if (!v.strip().equals("None") && !v.strip().equals("CRC32C")) {
                        throw new ConfigException(file, n, "expected " + setting.directive()
                                + " None, CRC32C or a comma list of them, got '" + value + "'");
                    }
                }
                s.settings.digest(setting, value.replace(" ", ""));
            }
            case BOOLEAN -> {
                if (!value.equals("Yes") && !value.equals("No")) {
                    throw new ConfigException(file, n, "expected " + setting.directive() + " Yes or No (case matters),"
                            + " got '" + value + "'");
                }
                int v = value.equals("Yes") ? 1 : 0;
                if (v < setting.min() || v > setting.max()) {
                    throw new ConfigException(file, n, setting.directive() + " must be Yes in Tandem");
                }
                s.settings.set(setting, v);
            }
            case NUMBER -> {
                int v = number(n, value, setting.directive());
                if (v < setting.min() || v > setting.max()) {
                    throw new ConfigException(file, n, setting.directive() + " " + v + " out of range "
                            + setting.min() + "-" + setting.max());
                }
                s.settings.set(setting, v);
            }
        }
    }

    private int number(int n, String value, String what) throws ConfigException {
        try {
            long v = value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16)
                    : Long.parseLong(value);
            if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new ConfigException(file, n, "expected a number for " + what + ", got '" + value + "'");
        }
    }

    private void finishStanza() throws ConfigException {
        if (stanza == null) {
            return;
        }
        TargetSettings settings = stanza.settings.build();
        if (settings.number(TargetSetting.FIRST_BURST_LENGTH) > settings.number(TargetSetting.MAX_BURST_LENGTH)) {
            throw new ConfigException(file, stanza.line, "target " + stanza.name
                    + ": FirstBurstLength must not exceed MaxBurstLength");
        }
        List<LunConfig> luns = new ArrayList<>(stanza.luns);
        luns.sort((a, b) -> Integer.compare(a.number(), b.number()));
        targets.add(new TargetConfig(stanza.name, stanza.alias, List.copyOf(luns), List.copyOf(stanza.incoming),
                stanza.outgoing, settings));
        stanza = null;
    }
}
