package org.tandem.e2e;

import org.tandem.server.Tandemd;
import org.tandem.server.admin.AdminSettings;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The real Tandem server, in this JVM, on a free loopback port, with an ietd.conf written by the test and sparse
 * LUN files in a temporary directory. The Netty leak detector runs at PARANOID here (see the parent pom).
 */
final class TargetFixture implements AutoCloseable {
    static final String TARGET = "iqn.2026-11.org.tandem.test:disk";

    private final Path dir;
    private final Tandemd daemon;
    private final int port;

    private TargetFixture(Path dir, Tandemd daemon) {
        this.dir = dir;
        this.daemon = daemon;
        this.port = daemon.boundAddresses().get(0).getPort();
    }

    /** Starts with a config whose Target stanza is {@code stanza} (LUN files named in it are created, 64 MiB). */
    static TargetFixture start(Path dir, String config, String... lunFiles) throws Exception {
        return start(dir, config, null, lunFiles);
    }

    /**
     * Starts with the admin endpoint too, on a free loopback port, its token file in {@code dir}. One target with
     * a 64 MiB fileio LUN 0.
     */
    static TargetFixture withAdmin(Path dir) throws Exception {
        return withAdmin(dir, AdminSettings.defaults(dir).listeningOn(new InetSocketAddress("127.0.0.1", 0)));
    }

    /** The same with the admin endpoint as {@code admin} says (TLS, say). */
    static TargetFixture withAdmin(Path dir, AdminSettings admin) throws Exception {
        return start(dir, "# the test target\nTarget " + TARGET + "\n    Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n",
                admin, "lun0.img");
    }

    private static TargetFixture start(Path dir, String config, AdminSettings admin, String... lunFiles)
            throws Exception {
        for (String f : lunFiles) {
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(f).toFile(), "rw")) {
                raf.setLength(64L * 1024 * 1024);
            }
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, config);
        TandemConfig parsed = IetdConfParser.read(conf);
        return new TargetFixture(dir, Tandemd.start(parsed, List.of(new InetSocketAddress("127.0.0.1", 0)), admin));
    }

    /** One target with one 64 MiB fileio LUN 0 and the extra stanza lines given. */
    static TargetFixture simple(Path dir, String... extraLines) throws Exception {
        StringBuilder c = new StringBuilder("Target " + TARGET + "\n    Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n");
        for (String l : extraLines) {
            c.append("    ").append(l).append('\n');
        }
        return start(dir, c.toString(), "lun0.img");
    }

    int port() {
        return port;
    }

    String portal() {
        return "iscsi://127.0.0.1:" + port;
    }

    String url(int lun) {
        return portal() + "/" + TARGET + "/" + lun;
    }

    /** The admin endpoint's URL (withAdmin only). */
    String adminUrl() {
        return daemon.admin().url();
    }

    Path tokenFile() {
        return daemon.admin().tokenFile();
    }

    String token() throws IOException {
        return Files.readString(tokenFile()).strip();
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        daemon.close();
    }
}
