package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

import static org.tandem.server.cli.Units.size;
import static org.tandem.server.cli.Units.millis;

/**
 * tandemctl's commands for the daemon as a whole: {@code health}, {@code stats} (I/O per LUN and per session), and
 * for its configuration file, {@code reload} and {@code save} (the admin endpoint's /health, /stats and /config).
 */
final class DaemonCommands {
    private DaemonCommands() {
    }

    @Command(name = "health", description = "Is the daemon up, and how is it.")
    static final class Health extends Subcommand {
        @Override
        public Integer call() throws Exception {
            JsonNode h = top.client().get("/health");
            return top.message(h, String.format(Locale.ROOT, "%s: up %d s, %d target(s), %d LUN(s) (%d offline),"
                            + " %d session(s), %d failed login(s)", h.path("status").asText(),
                    h.path("uptimeSeconds").asLong(), h.path("targets").asInt(), h.path("luns").asInt(),
                    h.path("lunsOffline").asInt(), h.path("sessions").asInt(), h.path("loginFailures").asLong()));
        }
    }

    @Command(name = "stats", description = "I/O statistics per LUN and per session.")
    static final class Stats extends Subcommand {
        @Override
        public Integer call() throws Exception {
            JsonNode s = top.client().get("/stats");
            Table table = new Table("WHAT", "TARGET", "READS", "WRITES", "OTHER", "READ", "WRITTEN", "ERRORS",
                    "P50", "P99");
            for (JsonNode l : s.path("luns")) {
                row(table, "LUN " + l.path("lun").asInt(), l.path("target").asText(), l.path("stats"));
            }
            for (JsonNode x : s.path("sessions")) {
                row(table, "TSIH " + x.path("tsih").asInt(), x.path("target").asText(), x.path("stats"));
            }
            return top.print(s, table);
        }

        private static void row(Table table, String what, String target, JsonNode s) {
            table.row(what, target, s.path("readCommands").asLong(), s.path("writeCommands").asLong(),
                    s.path("otherCommands").asLong(), size(s.path("bytesRead").asLong()),
                    size(s.path("bytesWritten").asLong()), s.path("errors").asLong(),
                    millis(s.path("latency").path("p50Seconds").asDouble()),
                    millis(s.path("latency").path("p99Seconds").asDouble()));
        }
    }

    @Command(name = "reload", description = "Re-read ietd.conf and the allow files and apply the difference.")
    static final class Reload extends Subcommand {
        @Override
        public Integer call() throws Exception {
            JsonNode r = top.client().send("POST", "/config/reload", null);
            StringBuilder text = new StringBuilder("reloaded: ");
            text.append(r.path("targetsAdded").size()).append(" target(s) added, ")
                    .append(r.path("targetsRemoved").size()).append(" removed, ")
                    .append(r.path("targetsUnchanged").asInt()).append(" unchanged");
            for (JsonNode a : r.path("targetsAdded")) {
                text.append("\n  + ").append(a.asText());
            }
            for (JsonNode a : r.path("targetsRemoved")) {
                text.append("\n  - ").append(a.asText());
            }
            for (JsonNode a : r.path("changes")) {
                text.append("\n  ~ ").append(a.asText());
            }
            return top.message(r, text.toString());
        }
    }

    @Command(name = "save", description = "Write the running configuration back to ietd.conf, keeping comments.")
    static final class Save extends Subcommand {
        @Option(names = "--force", description = "overwrite even if the file was edited since it was read")
        boolean force;

        @Override
        public Integer call() throws Exception {
            JsonNode r = top.client().send("POST", "/config/save" + (force ? "?force=true" : ""), null);
            return top.message(r, "saved to " + r.path("file").asText());
        }
    }
}
