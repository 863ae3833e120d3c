package org.tandem.server.session;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

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

    @AfterEach
    void closeBench() {
        if (bench != null) {
            bench.close();
        }
    }
}
