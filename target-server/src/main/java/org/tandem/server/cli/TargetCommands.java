package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** tandemctl's commands for targets: {@code targets}, {@code add-target} and {@code remove-target} (/targets). */
final class TargetCommands {
    private TargetCommands() {
    }

    @Command(name = "targets", description = "List the targets.")
    static final class Targets extends Subcommand {
        @Override
        public Integer call() throws Exception {
            JsonNode targets = top.client().get("/targets");
            Table table = new Table("TARGET", "LUNS", "SESSIONS", "CHAP", "ALIAS");
            for (JsonNode t : targets) {
                table.row(t.path("name").asText(), t.path("luns").size(), t.path("sessions").asInt(),
                        t.path("incomingUsers").size() == 0 ? "none"
                                : t.path("outgoingUser").isNull() ? "one-way" : "mutual",
                        t.path("alias").isNull() ? "-" : t.path("alias").asText());
            }
            return top.print(targets, table);
        }
    }

    @Command(name = "add-target", description = "Create a target (no LUNs yet).")
    static final class AddTarget extends Subcommand {
        @Parameters(index = "0", paramLabel = "TARGET", description = "iqn.YYYY-MM.reversed.domain[:id]")
        String name;
        @Option(names = "--alias")
        String alias;
        @Option(names = "--set", paramLabel = "SETTING=VALUE", description = "an ietd.conf target setting, e.g."
                + " MaxConnections=4")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (alias != null) {
                body.put("alias", alias);
            }
            body.put("settings", settings);
            JsonNode t = top.client().send("POST", "/targets", body);
            return top.message(t, "target " + name + " created");
        }
    }

    @Command(name = "remove-target", description = "Delete a target (refused while sessions are logged in,"
            + " unless --force).")
    static final class RemoveTarget extends Subcommand {
        @Parameters(index = "0", paramLabel = "TARGET")
        String target;
        @Option(names = "--force", description = "close its sessions")
        boolean force;

        @Override
        public Integer call() throws Exception {
            JsonNode r = top.client().send("DELETE", t(target) + (force ? "?force=true" : ""), null);
            return top.message(r, "target " + target + " removed");
        }
    }
}
