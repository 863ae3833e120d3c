package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.tandem.server.admin.AdminSettings;
import org.tandem.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * tandemctl: see and change a running Tandem through its admin endpoint. Human-readable tables by default,
 * {@code --json} for scripts. Exit status: 0 done, 1 the daemon refused (its reason is printed), 2 usage, 3 the
 * daemon cannot be reached or the token read. This class holds the global options and the output; the subcommands
 * are in one class per group ({@link DaemonCommands}, {@link TargetCommands}, {@link LunCommands},
 * {@link SessionCommands}, {@link ClusterCommands}).
 */
@Command(name = "tandemctl", mixinStandardHelpOptions = true, version = "tandemctl 0.1",
        description = "Manage a running Tandem iSCSI target through its admin endpoint.",
        // in this order in the usage text
        subcommands = {DaemonCommands.Health.class, TargetCommands.Targets.class, TargetCommands.AddTarget.class,
                TargetCommands.RemoveTarget.class, LunCommands.Luns.class, LunCommands.AddLun.class,
                LunCommands.RemoveLun.class, LunCommands.ResizeLun.class, LunCommands.Offline.class,
                LunCommands.Online.class, SessionCommands.Sessions.class, SessionCommands.Logout.class,
                DaemonCommands.Stats.class, DaemonCommands.Reload.class, DaemonCommands.Save.class,
                ClusterCommands.Cluster.class, ClusterCommands.Switchover.class})
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
}
