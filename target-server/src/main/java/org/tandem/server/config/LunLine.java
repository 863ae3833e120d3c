package org.tandem.server.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code Lun N OPTIONS} line, read as IET's kernel read the option list: comma-separated NAME=VALUE items,
 * empty items skipped, no spaces. Options are those of IET 0.4.x to 1.4.20 (Path, Type, IOMode, ScsiId, ScsiSN,
 * BlockSize, Blocks, and nullio's Sectors: its only size option up to 1.4.19, which 1.4.20 kept as another name
 * for Blocks, counted in BlockSize units). Sizes are 64-bit; Blocks=0 means the default size, as in IET 1.4.20.
 */
final class LunLine {
    private static final Logger LOG = LogManager.getLogger(IetdConfParser.class);
    static final int MAX_LUN = 16383;
    private static final String FORM = "'Lun N Path=FILE,Type=fileio' (or Type=blockio; 'Lun N Type=nullio,Blocks=K'"
            + " for a null device)";

    private final Path file;
    private final int line;
    private final Set<String> seen = new HashSet<>();
    private StoreType type = StoreType.FILEIO;
    private Path path;
    private IoMode mode = IoMode.WT;
    private int blockSize;
    private long blocks;
    private long sectors;
    private String scsiId;
    private String scsiSn;

    private LunLine(Path file, int line) {
        this.file = file;
        this.line = line;
    }

    /** Reads the text after {@code Lun}, trailing comment already removed. */
    static LunConfig parse(Path file, int line, String text) throws ConfigException {
        return new LunLine(file, line).read(text);
    }

    private LunConfig read(String text) throws ConfigException {
        String[] words = text.isEmpty() ? new String[0] : text.split("\\s+");
        if (words.length < 2) {
            throw new ConfigException(file, line, "expected " + FORM + ", got 'Lun " + text + "'");
        }
        int number = IetdNumber.parseLunNumber(file, line, words[0], MAX_LUN);
        if (words.length > 2) {
            String joined = String.join("", Arrays.copyOfRange(words, 1, words.length));
            throw new ConfigException(file, line, "the Lun option list must not contain spaces (IET reads only up"
                    + " to the first one): write 'Lun " + words[0] + " " + joined + "' (a path with spaces cannot be"
                    + " written in ietd.conf: link to it from a path without)");
        }
        for (String option : words[1].split(",")) {
            if (!option.isEmpty()) { // IET skips empty items: "Path=/a,,Type=fileio," is fine
                option(option);
            }
        }
        return check(number);
    }

    private void option(String option) throws ConfigException {
        int eq = option.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(file, line, "expected NAME=VALUE in the Lun options, got '" + option
                    + "': write e.g. 'Path=/dev/vg0/lv0,Type=blockio'");
        }
        String name = option.substring(0, eq);
        String key = name.toLowerCase(Locale.ROOT);
        String value = option.substring(eq + 1);
        if (!seen.add(key)) {
            throw new ConfigException(file, line, name + "= is given twice in one Lun line: keep one");
        }
        switch (key) {
            case "path" -> {
                if (value.isEmpty()) {
                    throw new ConfigException(file, line, "Path= is empty: write Path=/dev/... or Path=FILE");
                }
                try {
                    path = file.toAbsolutePath().getParent().resolve(value).normalize();
                } catch (InvalidPathException e) {
                    throw new ConfigException(file, line, "Path=" + value.replace("\0", "\\0") + " is not a path ("
                            + e.getReason() + "): write Path=/dev/... or Path=FILE");
                }
            }
            case "type" -> {
                type = StoreType.parse(value);
                if (type == null || type == StoreType.MEMORY) {
                    throw new ConfigException(file, line, "expected Type=fileio, blockio or nullio, got '" + value
                            + "'");
                }
            }
            case "iomode" -> {
                mode = IoMode.parse(value);
                if (mode == null) {
                    throw new ConfigException(file, line, "expected IOMode=wt, wb or ro, got '" + value + "'");
                }
            }
            case "blocksize" -> {
                blockSize = IetdNumber.parseInt(file, line, "BlockSize", value, 512, 4096);
                if (Integer.bitCount(blockSize) != 1) {
                    throw new ConfigException(file, line, "expected BlockSize=512, 1024, 2048 or 4096, got " + value);
                }
            }
            case "blocks" -> blocks = IetdNumber.parse(file, line, "Blocks", value, 0, Long.MAX_VALUE);
            case "sectors" -> sectors = IetdNumber.parse(file, line, "Sectors", value, 0, Long.MAX_VALUE);
            case "scsiid" -> scsiId = identifier(value, "ScsiId");
            case "scsisn" -> scsiSn = identifier(value, "ScsiSN");
            default -> throw new ConfigException(file, line, "unknown Lun option '" + name + "' (expected Path, Type,"
                    + " IOMode, BlockSize, Blocks, ScsiId or ScsiSN)");
        }
    }

    private LunConfig check(int number) throws ConfigException {
        String typeName = type.name().toLowerCase(Locale.ROOT);
        if (seen.contains("sectors")) {
            if (type != StoreType.NULLIO) {
                throw new ConfigException(file, line, "Sectors= sizes nullio LUNs only (IET's older name for"
                        + " Blocks=); a " + typeName + " LUN is as large as its Path: remove Sectors=");
            }
            if (seen.contains("blocks")) {
                throw new ConfigException(file, line, "both Sectors= and Blocks= give the size: keep only Blocks=");
            }
            LOG.warn("{}:{}: Sectors= is IET's older name for the size of a nullio LUN; read as Blocks={}. Write"
                    + " Blocks={} instead", file, line, sectors, sectors);
            blocks = sectors;
        }
        if (type == StoreType.NULLIO) {
            if (path != null) {
                throw new ConfigException(file, line, "a nullio LUN has no data: remove Path= or use Type=fileio");
            }
            int size = blockSize == 0 ? 512 : blockSize;
            if (blocks > Long.MAX_VALUE / size) {
                throw new ConfigException(file, line, "Blocks=" + blocks + " of " + size + " bytes exceeds 2^63"
                        + " bytes: write at most Blocks=" + Long.MAX_VALUE / size);
            }
        } else {
            if (path == null) {
                throw new ConfigException(file, line, "Type=" + typeName + " needs Path=: write 'Lun N Path=FILE,Type="
                        + typeName + "'");
            }
            if (type == StoreType.BLOCKIO && mode == IoMode.WB) {
                LOG.warn("{}:{}: IOMode=wb on a blockio LUN: IET ignored it (its blockio wrote straight to the"
                        + " device); Tandem caches the writes in memory and reports a write cache, so an initiator"
                        + " that never sends SYNCHRONIZE CACHE (VMware ESXi, for one) loses acknowledged writes when"
                        + " this server fails, and a failover loses them too. Remove IOMode=wb to keep IET's"
                        + " behaviour", file, line);
            }
            if (seen.contains("blocks")) {
                throw new ConfigException(file, line, "Blocks= sizes nullio LUNs only; a " + typeName + " LUN is as"
                        + " large as its Path: remove Blocks= (resize the file or volume instead)");
            }
        }
        return new LunConfig(number, new StoreSpec(type, path, mode, blockSize, blocks), scsiId, scsiSn);
    }

    private String identifier(String value, String what) throws ConfigException {
        if (value.isEmpty() || value.length() > 16 || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ConfigException(file, line, what + " must be 1 to 16 printable ASCII characters, got '" + value
                    + "'");
        }
        return value;
    }
}
