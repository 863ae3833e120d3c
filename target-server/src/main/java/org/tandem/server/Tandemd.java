package org.tandem.server;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.HaConfigException;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.takeover.ClusterNode;
import org.tandem.server.admin.AdminServer;
import org.tandem.server.admin.AdminSettings;
import org.tandem.server.ha.ClusterSetup;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.config.TargetSettings;
import org.tandem.server.control.ClusterWriteBack;
import org.tandem.server.control.ConfigFile;
import org.tandem.server.control.ControlException;
import org.tandem.server.control.TargetControl;
import org.tandem.server.negotiation.IscsiKey;
import org.tandem.server.net.TargetServer;
import org.tandem.server.session.TargetCatalog;
import org.tandem.server.warmup.StartupWarmUp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Tandem daemon: reads ietd.conf, opens the LUNs, serves the portals until SIGTERM, then closes sessions,
 * lets running commands finish, flushes and closes every LUN.
 *
 * <pre>tandemd --config /etc/iet/ietd.conf [--portal HOST:PORT]... [--ha DIR [--node NAME]] [--check]</pre>
 * With {@code --check} it only reads and checks the files ({@link ConfigCheck}) and exits 0 or 2.
 */
public final class Tandemd implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Tandemd.class);
    /** Commands queued for the I/O threads beyond this get TASK SET FULL. */
    private static final int IO_QUEUE = 4096;
    /** Loopback sessions of the start-up warm-up with --ha. */
    private static final int WARM_UP_SESSIONS = 3;
    private static final String USAGE = "usage: tandemd --config IETD.CONF [--portal HOST:PORT]..."
            + " [--admin-config ADMIN.CONF | --no-admin] [--ha /etc/ha.d [--node NAME]] [--check]";

    private final TargetCatalog catalog;
    private final TargetServer server;
    private final ThreadPoolExecutor ioExecutor;
    private final TargetControl control;
    private final AdminServer admin;
    private final ClusterNode cluster;
    /** With a cluster: the start-up warm-up of the login and command paths (null without). */
    private final StartupWarmUp warmUp;

    /** A cluster to join: the directory with ha.cf, authkeys and haresources, and this node's name (or null). */
    public record HaOptions(Path dir, String node) {
    }

    private Tandemd(TargetCatalog catalog, TargetServer server, ThreadPoolExecutor ioExecutor, TargetControl control,
                    AdminServer admin, ClusterNode cluster, StartupWarmUp warmUp) {
        this.catalog = catalog;
        this.server = server;
        this.ioExecutor = ioExecutor;
        this.control = control;
        this.admin = admin;
        this.cluster = cluster;
        this.warmUp = warmUp;
    }

    /** Starts a daemon for a parsed configuration on the given portals, without the admin endpoint. */
    public static Tandemd start(TandemConfig config, List<InetSocketAddress> portals)
            throws ConfigException, InterruptedException {
        return start(config, portals, null);
    }

    /**
     * Starts a daemon for a parsed configuration on the given portals, with the admin endpoint when {@code admin}
     * is enabled (null: none).
     */
    public static Tandemd start(TandemConfig config, List<InetSocketAddress> portals, AdminSettings admin)
            throws ConfigException, InterruptedException {
        return start(config, portals, admin, null);
    }

    /**
     * Starts a daemon, and with {@code ha} a cluster node: the LUNs of the groups in haresources stay in standby
     * until the cluster starts their group here.
     */
    public static Tandemd start(TandemConfig config, List<InetSocketAddress> portals, AdminSettings admin,
                                HaOptions ha) throws ConfigException, InterruptedException {
        int threads = config.targets().stream().mapToInt(t -> t.settings().number(IscsiKey.WTHREADS)).max()
                .orElse(TargetSettings.defaults().number(IscsiKey.WTHREADS));
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor io = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(IO_QUEUE), r -> {
                    Thread t = new Thread(r, "tandem-io-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        TargetCatalog catalog;
        ClusterSetup.ClusterFiles files = null;
        String node = null;
        try {
            if (ha != null) {
                // Read before any LUN opens: a grouped LUN's device opens only when its group starts here.
                node = ClusterSetup.nodeName(ha.node());
                files = ClusterSetup.read(ha.dir(), node, config.targets().stream().map(TargetConfig::name).toList());
                List<ResourceGroup> groups = files.groups();
                ClusterWriteBack.refuse(config, t -> ClusterSetup.groupOf(groups, t));
            }
            catalog = TargetCatalog.open(config, io, files == null ? t -> false
                    : ClusterSetup.followsRole(files.groups()));
        } catch (ConfigException e) {
            io.shutdownNow();
            throw e;
        } catch (HaConfigException | IOException e) {
            io.shutdownNow();
            throw new ConfigException(e.getMessage(), e);
        }
        TargetControl control = new TargetControl(catalog, ConfigFile.of(config));
        AdminServer adminServer = null;
        ClusterNode cluster = null;
        TargetServer server = null;
        AtomicReference<ClusterNode> joined = new AtomicReference<>();
        try {
            // The portals listen before the cluster starts: a group it starts at once brings its floating address
            // up, and an initiator connecting to it then must find a listener, not a refused connection.
            server = TargetServer.start(catalog, portals, () -> {
                ClusterNode c = joined.get();
                if (c != null) {
                    c.connectionsChanged();
                }
            });
            if (files != null) {
                TargetServer listening = server;
                ClusterSetup.Started started = ClusterSetup.start(files, node, catalog, listening::connections);
                cluster = started.node();
                joined.set(cluster);
                control.cluster(started.control(), started::lunsAdded);
            }
            if (admin != null && admin.enabled()) {
                adminServer = AdminServer.start(admin, control);
            }
            // A standby's first takeover must not wait while the JVM loads and interprets the login and command
            // code for the initiators coming back: run it once now (see StartupWarmUp for the figures).
            StartupWarmUp warmUp = cluster == null ? null : StartupWarmUp.start(io, WARM_UP_SESSIONS);
            return new Tandemd(catalog, server, io, control, adminServer, cluster, warmUp);
        } catch (IOException e) {
            stopStarted(cluster, adminServer, server, catalog, io);
            throw new ConfigException(e.getMessage(), e);
        } catch (ConfigException | RuntimeException | InterruptedException e) {
            stopStarted(cluster, adminServer, server, catalog, io);
            throw e;
        }
    }

    /** Undoes a start that failed part way (any argument may be null but the catalog and executor). */
    private static void stopStarted(ClusterNode cluster, AdminServer adminServer, TargetServer server,
                                    TargetCatalog catalog, ThreadPoolExecutor io) {
        if (cluster != null) {
            cluster.close();
        }
        if (adminServer != null) {
            adminServer.close();
        }
        if (server != null) {
            server.close();
        }
        catalog.close();
        io.shutdownNow();
    }

    /** The control interface (what the admin endpoint and SIGHUP use). */
    public TargetControl control() {
        return control;
    }

    /** The admin endpoint's settings with its bound port, or null when it is off. */
    public AdminSettings admin() {
        return admin == null ? null : admin.settings();
    }

    /** Re-reads the configuration files and applies the difference; logs the outcome (SIGHUP). */
    public void reload() {
        try {
            control.reload();
        } catch (ControlException e) {
            // TargetControl has logged the refusal.
        }
    }

    public List<InetSocketAddress> boundAddresses() {
        return server.boundAddresses();
    }

    @Override
    public void close() {
        if (cluster != null) {
            // Hand the groups over cleanly (addresses down, sessions ended, flushed, demoted) before stopping.
            cluster.leave(60_000);
            cluster.close();
        }
        if (admin != null) {
            admin.close();
        }
        server.close();
        if (warmUp != null) {
            warmUp.close(); // it uses the I/O executor
        }
        ioExecutor.shutdown();
        try {
            if (!ioExecutor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("storage I/O still running after 30 s; closing LUNs anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catalog.close();
    }

    public static void main(String[] args) {
        Path config = null;
        Path adminConfig = null;
        boolean noAdmin = false;
        Path haDir = null;
        String node = null;
        boolean check = false;
        List<InetSocketAddress> portals = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> config = Path.of(value(args, ++i, "--config"));
                case "--portal", "-p" -> portals.add(portal(value(args, ++i, "--portal")));
                case "--admin-config" -> adminConfig = Path.of(value(args, ++i, "--admin-config"));
                case "--no-admin" -> noAdmin = true;
                case "--ha" -> haDir = Path.of(value(args, ++i, "--ha"));
                case "--node" -> node = value(args, ++i, "--node");
                case "--check" -> check = true;
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (config == null) {
            usage("--config is required");
        }
        if (check) {
            int status = ConfigCheck.run(config, haDir, node, System.out);
            LogManager.shutdown();
            System.exit(status);
        }
        if (portals.isEmpty()) {
            portals.add(new InetSocketAddress("0.0.0.0", 3260));
        }
        try {
            TandemConfig parsed = IetdConfParser.read(config);
            AdminSettings admin = noAdmin ? null : AdminSettings.read(adminConfig != null ? adminConfig
                    : config.toAbsolutePath().getParent().resolve(AdminSettings.FILE_NAME));
            Tandemd daemon = start(parsed, portals, admin, haDir == null ? null : new HaOptions(haDir, node));
            onHangup(daemon);
            LOG.info("Tandem serving {} target(s) from {} on {}", parsed.targets().size(), config,
                    daemon.boundAddresses());
            for (TargetConfig t : parsed.targets()) {
                LOG.info("target {} with {} LUN(s)", t.name(), t.luns().size());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("shutting down: closing sessions, flushing LUNs");
                daemon.close();
                LOG.info("stopped");
                LogManager.shutdown();
            }, "tandem-shutdown"));
        } catch (ConfigException e) {
            LOG.error("cannot start: {}", e.getMessage());
            LogManager.shutdown();
            System.exit(2);
        } catch (Exception e) {
            LOG.error("cannot start: {}", e.toString());
            LogManager.shutdown();
            System.exit(1);
        }
    }

    /**
     * SIGHUP re-reads ietd.conf, as it makes most daemons re-read theirs. sun.misc.Signal is the JDK's only way to
     * catch it; where it is missing the daemon runs on and says so.
     */
    private static void onHangup(Tandemd daemon) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                Thread t = new Thread(() -> {
                    LOG.info("SIGHUP: reloading the configuration");
                    daemon.reload();
                }, "tandem-reload");
                t.setDaemon(true);
                t.start();
            });
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // Started under nohup (or by a parent that ignores SIGHUP): the JVM then keeps the signal ignored
                // and never runs the handler, so a reload by SIGHUP would silently do nothing.
                LOG.warn("SIGHUP is ignored in this process (started under nohup?), so it cannot reload the"
                        + " configuration: use tandemctl reload, or start tandemd without nohup");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LOG.warn("SIGHUP cannot be caught here ({}); reload through the admin endpoint", e.toString());
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    static InetSocketAddress portal(String s) {
        int colon = s.lastIndexOf(':');
        String host = s;
        int port = 3260;
        if (colon > 0 && !s.endsWith("]")) {
            host = s.substring(0, colon);
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                usage("bad portal '" + s + "': expected HOST:PORT");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, port);
    }

    private static void usage(String message) {
        System.err.println("tandemd: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }
}
