package org.tandem.server.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** A fresh {@link FakeAdminEndpoint} per test. */
abstract class AdminEndpointTestBase {
    @TempDir
    Path dir;
    FakeAdminEndpoint endpoint;

    @BeforeEach
    void startEndpoint() throws IOException {
        endpoint = new FakeAdminEndpoint(dir);
    }

    @AfterEach
    void stopEndpoint() {
        endpoint.close();
    }

    /** The one request tandemctl sent, as {@code METHOD path body}. */
    String onlyRequest() {
        FakeAdminEndpoint.Request r = endpoint.requests().get(0);
        org.assertj.core.api.Assertions.assertThat(endpoint.requests()).hasSize(1);
        return r.method() + " " + r.path() + (r.body().isEmpty() ? "" : " " + r.body());
    }
}
