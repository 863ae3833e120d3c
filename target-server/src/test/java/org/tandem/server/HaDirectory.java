package org.tandem.server;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** A cluster directory for tests: nodes storage1 and storage2 heartbeating on loopback, on a free UDP port. */
public final class HaDirectory {
    private HaDirectory() {
    }

    /**
     * Writes ha.cf (no fencing), authkeys (mode 0600) and haresources under {@code parent}/ha.d and returns it.
     *
     * @param deadtime ha.cf's deadtime in seconds: long when the test must not see the peer declared dead
     */
    public static Path write(Path parent, int deadtime, String haresourcesLine) throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0)) {
            port = s.getLocalPort();
        }
        Path ha = Files.createDirectories(parent.resolve("ha.d"));
        Files.write(ha.resolve("ha.cf"), List.of("node storage1 storage2", "udpport " + port, "keepalive 100ms",
                "deadtime " + deadtime, "ucast lo 127.0.0.1", "fencing none"));
        Files.write(ha.resolve("haresources"), List.of(haresourcesLine));
        Path keys = ha.resolve("authkeys");
        Files.write(keys, List.of("auth 1", "1 sha256 0123456789abcdef0123"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        return ha;
    }
}
