package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * tandemctl's commands for the cluster: {@code cluster} (nodes, heartbeat links, groups and where they run, the last
 * takeover) and {@code switchover} (the admin endpoint's /cluster).
 */
final class ClusterCommands {
    private ClusterCommands() {
    }

    @Command(name = "cluster", description = "The cluster: this node and its peer, heartbeat links, groups and"
            + " where they run, the last takeover with its step timings.")
    static final class Cluster extends Subcommand {
        @Override
        public Integer call() throws Exception {
            JsonNode c = top.client().get("/cluster");
            if (top.json) {
                return top.print(c, null);
            }
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "node %s %s (ping %s); peer %s %s %s (ping %s); %d packet(s)"
                            + " dropped%n", c.path("self").asText(), c.path("selfState").asText(),
                    c.path("ping").asText(), c.path("peer").asText(), c.path("peerStatus").asText(),
                    c.path("peerState").asText(), c.path("peerPing").asText(), c.path("droppedPackets").asLong()));
            Table links = new Table("LINK", "STATE", "LAST HEARD");
            for (JsonNode l : c.path("links")) {
                long ago = l.path("lastHeardMillisAgo").asLong();
                links.row(l.path("link").asText(), l.path("up").asBoolean() ? "up" : "DOWN",
                        ago < 0 ? "never" : ago + " ms ago");
            }
            Table groups = new Table("GROUP", "PREFERRED", "HERE", "ON PEER", "TARGETS");
            for (JsonNode g : c.path("groups")) {
                List<String> targets = new ArrayList<>();
                g.path("targets").forEach(t -> targets.add(t.asText()));
                groups.row(g.path("name").asText(), g.path("preferredNode").asText(), g.path("here").asText(),
                        g.path("onPeer").asText(), String.join(",", targets));
            }
            out.append('\n').append(links).append('\n').append(groups);
            JsonNode t = c.path("lastTakeover");
            if (!t.isMissingNode() && !t.isNull()) {
                out.append(String.format(Locale.ROOT, "%nlast: %s %s at %s (%s), %d ms:%n", t.path("action").asText(),
                        t.path("group").asText(), t.path("startedAt").asText(), t.path("reason").asText(),
                        t.path("totalMillis").asLong()));
                for (JsonNode st : t.path("steps")) {
                    out.append(String.format(Locale.ROOT, "  %-50s %6d ms%s%n", st.path("step").asText(),
                            st.path("millis").asLong(), st.path("ok").asBoolean() ? "" : "  FAILED: "
                                    + st.path("detail").asText()));
                }
            }
            top.out.print(out);
            top.out.flush();
            return 0;
        }
    }

    @Command(name = "switchover", description = "Move a group this node serves to the peer (planned maintenance):"
            + " initiators see a pause, not an error.")
    static final class Switchover extends Subcommand {
        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Override
        public Integer call() throws Exception {
            JsonNode c = top.client().send("POST", "/cluster/groups/" + AdminClient.encode(group) + "/switchover",
                    null);
            JsonNode t = c.path("lastTakeover");
            return top.message(c, "group " + group + " released here in " + t.path("totalMillis").asLong()
                    + " ms; " + c.path("peer").asText() + " starts it now");
        }
    }
}
