package org.tandem.server.connection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.negotiation.SessionParameters;

import java.nio.file.Path;

/** What the tests of a connection's jobs share: a {@link ConnectionBench} they open, closed after each test. */
abstract class ConnectionJobTestBase {
    protected static final int RESERVED = 0xffffffff;
    @TempDir
    Path dir;
    protected ConnectionBench bench;

    /** Opens the bench; see {@link ConnectionBench#ConnectionBench} for the parameters. */
    protected ConnectionBench open(boolean discovery, int maxXmit, int maxBurst, int nopSeconds) throws Exception {
        bench = new ConnectionBench(dir, discovery, maxXmit, maxBurst, nopSeconds);
        return bench;
    }

    /** Opens the bench with these session parameters. */
    protected ConnectionBench open(SessionParameters p) throws Exception {
        bench = new ConnectionBench(dir, p, 0);
        return bench;
    }

    @AfterEach
    void closeBench() {
        if (bench != null) {
            bench.close();
        }
    }
}
