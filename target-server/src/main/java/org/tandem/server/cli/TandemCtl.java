package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tandem.server.admin.AdminSettings;
import org.tandem.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * tandemctl: see and change a running Tandem through its admin endpoint. Human-readable tables by default,
 * {@code --json} for scripts. Exit status: 0 done, 1 the daemon refused (its reason is printed), 2 usage, 3 the
 * daemon cannot be reached or the token read.
 */
@Command(name = "tandemctl", mixinStandardHelpOptions = true, version = "tandemctl 0.1",
        description = "Manage a running Tandem iSCSI target through its admin endpoint.",
        subcommands = {TandemCtl.Health.class, TandemCtl.Targets.class, TandemCtl.AddTarget.class,
                TandemCtl.RemoveTarget.class, TandemCtl.Luns.class, TandemCtl.AddLun.class, TandemCtl.RemoveLun.class,
                TandemCtl.ResizeLun.class, TandemCtl.Offline.class, TandemCtl.Online.class, TandemCtl.Sessions.class,
                TandemCtl.Logout.class, TandemCtl.Stats.class, TandemCtl.Reload.class, TandemCtl.Save.class,
                TandemCtl.Cluster.class, TandemCtl.Switchover.class})
public final class TandemCtl {
    @Option(names = "--config", paramLabel = "ADMIN.CONF", description = "the daemon's admin.conf (default:"
            + " $TANDEM_ADMIN_CONF, /etc/iet/admin.conf, /etc/tandem/admin.conf)")
    Path config;

    @Option(names = "--url", description = "endpoint URL, overriding admin.conf (e.g. https://10.0.0.5:8260)")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", description = "token file, overriding admin.conf")
    Path tokenFile;

    @Option(names = "--json", description = "print the daemon's JSON instead of tables")
    boolean json;

    PrintWriter out;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        TandemCtl top = new TandemCtl();
        top.out = out;
        CommandLine cl = new CommandLine(top);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof AdminClient.Failure f) {
                err.println("tandemctl: " + f.getMessage());
                return f.exitCode();
            }
            if (e instanceof ConfigException c) {
                err.println("tandemctl: " + c.getMessage());
                return 2;
            }
            throw e;
        });
        return cl.execute(args);
    }

    AdminClient client() throws Exception {
        return new AdminClient(AdminSettings.read(configPath()), url, tokenFile);
    }

    private Path configPath() {
        if (config != null) {
            return config;
        }
        String env = System.getenv("TANDEM_ADMIN_CONF");
        if (env != null && !env.isEmpty()) {
            return Path.of(env);
        }
        Path tandem = Path.of("/etc/tandem", AdminSettings.FILE_NAME);
        return Files.exists(tandem) && !Files.exists(Path.of("/etc/iet", AdminSettings.FILE_NAME)) ? tandem
                : Path.of("/etc/iet", AdminSettings.FILE_NAME);
    }

    /** Prints JSON as it came, or the table when not --json. */
    int print(JsonNode node, Table table) throws Exception {
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } else {
            out.print(table);
        }
        out.flush();
        return 0;
    }

    int message(JsonNode node, String text) throws Exception {
        if (json) {
            out.println(node == null || node.isNull() ? "{}" : new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } else {
            out.println(text);
        }
        out.flush();
        return 0;
    }

    static String t(String target) {
        return "/targets/" + AdminClient.encode(target);
    }

    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? bytes + " B" : String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    static String millis(double seconds) {
        return seconds == 0 ? "-" : String.format(Locale.ROOT, seconds < 0.001 ? "%.2f ms" : "%.1f ms",
                seconds * 1000);
    }

    static Table lunTable(Iterable<JsonNode> luns, String target, Table table) {
        for (JsonNode l : luns) {
            table.row(target, l.path("lun").asInt(), l.path("type").asText(), size(l.path("sizeBytes").asLong()),
                    l.path("ioMode").asText(), l.path("online").asBoolean() ? "online" : "OFFLINE",
                    l.path("commandsInFlight").asInt(), l.path("path").isNull() ? "-" : l.path("path").asText());
        }
        return table;
    }

    static Table newLunTable() {
        return new Table("TARGET", "LUN", "TYPE", "SIZE", "MODE", "STATE", "IN-FLIGHT", "PATH");
    }

    /** A subcommand: its parent holds the global options. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        TandemCtl top;
    }

    @Command(name = "health", description = "Is the daemon up, and how is it.")
    static final class Health extends Sub {
        @Override
        public Integer call() throws Exception {
            JsonNode h = top.client().get("/health");
            return top.message(h, String.format(Locale.ROOT, "%s: up %d s, %d target(s), %d LUN(s) (%d offline),"
                            + " %d session(s), %d failed login(s)", h.path("status").asText(),
                    h.path("uptimeSeconds").asLong(), h.path("targets").asInt(), h.path("luns").asInt(),
                    h.path("lunsOffline").asInt(), h.path("sessions").asInt(), h.path("loginFailures").asLong()));
        }
    }

    @Command(name = "targets", description = "List the targets.")
    static final class Targets extends Sub {
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
    static final class AddTarget extends Sub {
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
    static final class RemoveTarget extends Sub {
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

    @Command(name = "luns", description = "List the LUNs of one target or of all.")
    static final class Luns extends Sub {
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
    static final class AddLun extends Sub {
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
    static final class RemoveLun extends Sub {
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
    static final class ResizeLun extends Sub {
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
    abstract static class LunState extends Sub {
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

    @Command(name = "sessions", description = "List the sessions with their negotiated parameters.")
    static final class Sessions extends Sub {
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
    static final class Logout extends Sub {
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

    @Command(name = "stats", description = "I/O statistics per LUN and per session.")
    static final class Stats extends Sub {
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
    static final class Reload extends Sub {
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
    static final class Save extends Sub {
        @Option(names = "--force", description = "overwrite even if the file was edited since it was read")
        boolean force;

        @Override
        public Integer call() throws Exception {
            JsonNode r = top.client().send("POST", "/config/save" + (force ? "?force=true" : ""), null);
            return top.message(r, "saved to " + r.path("file").asText());
        }
    }

    @Command(name = "cluster", description = "The cluster: this node and its peer, heartbeat links, groups and"
            + " where they run, the last takeover with its step timings.")
    static final class Cluster extends Sub {
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
                List<String> targets = new java.util.ArrayList<>();
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
    static final class Switchover extends Sub {
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
