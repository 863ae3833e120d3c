package org.tandem.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** health, stats, reload and save: the daemon as a whole and its configuration file. */
class DaemonCommandsTest extends AdminEndpointTestBase {

    @Test
    void health() {
        endpoint.answer("GET", "/health", "{\"status\":\"ok\",\"uptimeSeconds\":3600,\"targets\":2,\"luns\":3,"
                + "\"lunsOffline\":1,\"sessions\":4,\"loginFailures\":5}");

        FakeAdminEndpoint.Run r = endpoint.run("health");

        assertThat(r.out()).isEqualTo("ok: up 3600 s, 2 target(s), 3 LUN(s) (1 offline), 4 session(s), 5 failed"
                + " login(s)\n");
    }

    @Test
    void statsPerLunAndPerSession() {
        endpoint.answer("GET", "/stats", """
                {"luns":[{"lun":0,"target":"iqn.x:a","stats":{"readCommands":10,"writeCommands":20,"otherCommands":3,
                   "bytesRead":1536,"bytesWritten":157286400,"errors":0,
                   "latency":{"p50Seconds":0.0005,"p99Seconds":0.0123}}}],
                 "sessions":[{"tsih":1,"target":"iqn.x:a","stats":{"readCommands":1,"writeCommands":0,
                   "otherCommands":0,"bytesRead":0,"bytesWritten":0,"errors":2,"latency":{"p50Seconds":0,
                   "p99Seconds":0}}}]}
                """);

        FakeAdminEndpoint.Run r = endpoint.run("stats");

        assertThat(r.out()).isEqualTo("""
                WHAT    TARGET   READS  WRITES  OTHER  READ     WRITTEN  ERRORS  P50      P99
                LUN 0   iqn.x:a  10     20      3      1.5 KiB  150 MiB  0       0.50 ms  12.3 ms
                TSIH 1  iqn.x:a  1      0       0      0 B      0 B      2       -        -
                """);
    }

    @Test
    void reloadListsWhatChanged() {
        endpoint.answer("POST", "/config/reload", "{\"targetsAdded\":[\"iqn.x:new\"],\"targetsRemoved\":[],"
                + "\"targetsUnchanged\":2,\"changes\":[\"iqn.x:a: MaxConnections 1 -> 4\"]}");

        FakeAdminEndpoint.Run r = endpoint.run("reload");

        assertThat(r.out()).isEqualTo("""
                reloaded: 1 target(s) added, 0 removed, 2 unchanged
                  + iqn.x:new
                  ~ iqn.x:a: MaxConnections 1 -> 4
                """);
    }

    @Test
    void saveSaysWhere() {
        endpoint.answer("POST", "/config/save?force=true", "{\"file\":\"/etc/iet/ietd.conf\"}");

        FakeAdminEndpoint.Run r = endpoint.run("save", "--force");

        assertThat(r.out()).isEqualTo("saved to /etc/iet/ietd.conf\n");
    }
}
