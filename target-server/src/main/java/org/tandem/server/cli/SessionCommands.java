package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** tandemctl's commands for sessions: {@code sessions}, with their negotiated parameters, and {@code logout}. */
final class SessionCommands {
    private SessionCommands() {
    }

    @Command(name = "sessions", description = "List the sessions with their negotiated parameters.")
    static final class Sessions extends Subcommand {
        @Option(names = "--target", description = "only this target's")
        String target;

        @Override
        public Integer call() throws Exception {
            JsonNode sessions = top.client().get("/sessions" + (target == null ? ""
                    : "?target=" + AdminClient.encode(target)));
            Table table = new Table("TSIH", "INITIATOR", "ISID", "TARGET", "FROM", "CONNS", "DIGEST", "MAXRECV",
                    "MAXBURST", "FIRSTBURST", "IMMEDIATE", "INITIALR2T", "IN-FLIGHT");
            for (JsonNode s : sessions) {
                JsonNode p = s.path("parameters");
                JsonNode first = s.path("connections").path(0);
                table.row(s.path("tsih").asInt(), s.path("initiatorName").asText(), s.path("isid").asText(),
                        s.path("discovery").asBoolean() ? "(discovery)" : s.path("target").asText(),
                        first.path("remoteAddress").asText("-").replaceFirst("^/", ""),
                        s.path("connections").size(),
                        (p.path("headerDigest").asBoolean() ? "CRC32C" : "None") + "/"
                                + (p.path("dataDigest").asBoolean() ? "CRC32C" : "None"),
                        p.path("maxRecvDataSegmentLength").asInt(), p.path("maxBurstLength").asInt(),
                        p.path("firstBurstLength").asInt(), p.path("immediateData").asBoolean() ? "Yes" : "No",
                        p.path("initialR2T").asBoolean() ? "Yes" : "No", s.path("commandsInFlight").asInt());
            }
            return top.print(sessions, table);
        }
    }

    @Command(name = "logout", description = "Ask a session's initiator to log out; its connections close after"
            + " --wait seconds if it has not.")
    static final class Logout extends Subcommand {
        @Parameters(index = "0", paramLabel = "TSIH")
        int tsih;
        @Option(names = "--wait", description = "seconds the initiator gets (default 3)")
        Integer wait;

        @Override
        public Integer call() throws Exception {
            JsonNode r = top.client().send("DELETE", "/sessions/" + tsih + (wait == null ? "" : "?wait=" + wait),
                    null);
            return top.message(r, "logout requested for session " + tsih + " (" + r.path("initiatorName").asText()
                    + "); closed within " + r.path("closesWithinSeconds").asInt() + " s if it does not log out");
        }
    }
}
