package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.tandem.server.cli.Units.size;

/**
 * tandemctl's commands for logical units: {@code luns}, {@code add-lun}, {@code remove-lun}, {@code resize-lun},
 * {@code offline} and {@code online} (the admin endpoint's /targets/TARGET/luns).
 */
final class LunCommands {
    private LunCommands() {
    }

    /** Adds a row per LUN of {@code target} to the table. */
    static Table lunTable(Iterable<JsonNode> luns, String target, Table table) {
        for (JsonNode l : luns) {
            table.row(target, l.path("lun").asInt(), l.path("type").asText(), size(l.path("sizeBytes").asLong()),
                    l.path("ioMode").asText(), l.path("online").asBoolean() ? "online" : "OFFLINE",
                    l.path("commandsInFlight").asInt(), l.path("path").isNull() ? "-" : l.path("path").asText());
        }
        return table;
    }

    /** The LUN table's header: target, LUN, type, size, I/O mode, state, commands in flight and path. */
    static Table newLunTable() {
        return new Table("TARGET", "LUN", "TYPE", "SIZE", "MODE", "STATE", "IN-FLIGHT", "PATH");
    }

    @Command(name = "luns", description = "List the LUNs of one target or of all.")
    static final class Luns extends Subcommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "TARGET")
        String target;

        @Override
        public Integer call() throws Exception {
            AdminClient c = top.client();
            Table table = newLunTable();
            if (target != null) {
                JsonNode luns = c.get(t(target) + "/luns");
                return top.print(luns, lunTable(luns, target, table));
            }
            JsonNode targets = c.get("/targets");
            for (JsonNode tg : targets) {
                lunTable(tg.path("luns"), tg.path("name").asText(), table);
            }
            return top.print(targets, table);
        }
    }

    @Command(name = "add-lun", description = "Add a LUN to a running target; initiators see it at their next"
            + " REPORT LUNS.")
    static final class AddLun extends Subcommand {
        @Parameters(index = "0", paramLabel = "TARGET")
        String target;
        @Option(names = "--lun", description = "LUN number (default: lowest free)")
        Integer lun;
        @Option(names = "--path", description = "file or block device; relative to ietd.conf's directory")
        String path;
        @Option(names = "--type", description = "fileio (default), blockio or nullio")
        String type;
        @Option(names = "--iomode", description = "wt (default), wb or ro")
        String ioMode;
        @Option(names = "--block-size", description = "512 (default), 1024, 2048 or 4096")
        Integer blockSize;
        @Option(names = "--blocks", description = "nullio: number of blocks")
        Long blocks;
        @Option(names = "--scsi-id")
        String scsiId;
        @Option(names = "--scsi-sn")
        String scsiSn;
        @Option(names = "--create", paramLabel = "SIZE", description = "create a sparse file of SIZE (e.g. 10G)"
                + " first")
        String create;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            put(body, "lun", lun);
            put(body, "path", path);
            put(body, "type", type);
            put(body, "ioMode", ioMode);
            put(body, "blockSize", blockSize);
            put(body, "blocks", blocks);
            put(body, "scsiId", scsiId);
            put(body, "scsiSn", scsiSn);
            put(body, "createSize", create);
            JsonNode l = top.client().send("POST", t(target) + "/luns", body);
            return top.message(l, "LUN " + l.path("lun").asInt() + " added to " + target + ": "
                    + l.path("type").asText() + " " + size(l.path("sizeBytes").asLong())
                    + (l.path("path").isNull() ? "" : " " + l.path("path").asText()));
        }

        private static void put(Map<String, Object> body, String key, Object value) {
            if (value != null) {
                body.put(key, value);
            }
        }
    }

    @Command(name = "remove-lun", description = "Remove a LUN (refused while it is in use, unless --force).")
    static final class RemoveLun extends Subcommand {
        @Parameters(index = "0", paramLabel = "TARGET")
        String target;
        @Parameters(index = "1", paramLabel = "LUN")
        int lun;
        @Option(names = "--force", description = "remove it even with I/O in flight")
        boolean force;

        @Override
        public Integer call() throws Exception {
            JsonNode r = top.client().send("DELETE", t(target) + "/luns/" + lun + (force ? "?force=true" : ""), null);
            return top.message(r, "LUN " + lun + " removed from " + target);
        }
    }

    @Command(name = "resize-lun", description = "Change a LUN's size; logged-in initiators get CAPACITY DATA HAS"
            + " CHANGED. Shrinking needs --force.")
    static final class ResizeLun extends Subcommand {
        @Parameters(index = "0", paramLabel = "TARGET")
        String target;
        @Parameters(index = "1", paramLabel = "LUN")
        int lun;
        @Parameters(index = "2", paramLabel = "SIZE", description = "bytes or 512M, 20G...; 0 for blockio: rescan")
        String size;
        @Option(names = "--force", description = "allow shrinking (data past the new end is lost)")
        boolean force;

        @Override
        public Integer call() throws Exception {
            JsonNode l = top.client().send("PATCH", t(target) + "/luns/" + lun + (force ? "?force=true" : ""),
                    Map.of("size", size));
            return top.message(l, "LUN " + lun + " of " + target + " is now " + size(l.path("sizeBytes").asLong())
                    + " (" + l.path("blocks").asLong() + " blocks)");
        }
    }

    /** offline and online: the same request with the opposite value. */
    abstract static class LunState extends Subcommand {
        @Parameters(index = "0", paramLabel = "TARGET")
        String target;
        @Parameters(index = "1", paramLabel = "LUN")
        int lun;

        abstract boolean online();

        @Override
        public Integer call() throws Exception {
            JsonNode l = top.client().send("PATCH", t(target) + "/luns/" + lun, Map.of("online", online()));
            return top.message(l, "LUN " + lun + " of " + target + " is " + (online() ? "online" : "offline"));
        }
    }

    @Command(name = "offline", description = "Take a LUN offline: commands get NOT READY until it is online.")
    static final class Offline extends LunState {
        @Override
        boolean online() {
            return false;
        }
    }

    @Command(name = "online", description = "Bring a LUN back online.")
    static final class Online extends LunState {
        @Override
        boolean online() {
            return true;
        }
    }
}
