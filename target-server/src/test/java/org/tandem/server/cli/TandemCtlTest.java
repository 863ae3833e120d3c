package org.tandem.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tandemctl as a whole: its usage text, the global options, and how failures become exit statuses (0 done, 1 the
 * daemon refused, 2 usage, 3 the daemon unreachable or the token unreadable).
 */
class TandemCtlTest extends AdminEndpointTestBase {

    /** The usage of tandemctl and of every subcommand, as the release before the split into groups printed it. */
    @Test
    void usageOfEveryCommandIsAsBefore() throws IOException {
        CommandLine cl = new CommandLine(new TandemCtl());
        cl.setUsageHelpWidth(120);
        StringBuilder usage = new StringBuilder(cl.getUsageMessage());
        cl.getSubcommands().forEach((name, sub) -> {
            sub.setUsageHelpWidth(120);
            usage.append("==== ").append(name).append('\n').append(sub.getUsageMessage());
        });

        assertThat(usage.toString()).isEqualTo(resource("tandemctl-usage.txt"));
    }

    @Test
    void sendsTheTokenAsBearer() {
        endpoint.answer("GET", "/targets", "[]");

        endpoint.run("targets");

        assertThat(endpoint.requests()).singleElement().extracting(FakeAdminEndpoint.Request::authorization)
                .isEqualTo("Bearer " + FakeAdminEndpoint.TOKEN);
    }

    @Test
    void aRefusalPrintsTheDaemonsDetailAndExitsWithOne() {
        endpoint.answer("DELETE", "/targets/iqn.x%3Aa", 409,
                "{\"detail\":\"target iqn.x:a has 1 session(s) logged in\"}");

        FakeAdminEndpoint.Run r = endpoint.run("remove-target", "iqn.x:a");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("tandemctl: target iqn.x:a has 1 session(s) logged in (HTTP 409)\n");
    }

    @Test
    void anUnreadableTokenExitsWithThree() {
        FakeAdminEndpoint.Run r = FakeAdminEndpoint.runTandemCtl("--url", "http://127.0.0.1:1", "--token-file",
                dir.resolve("missing").toString(), "--config", dir.resolve("admin.conf").toString(), "health");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("tandemctl: cannot read the admin token from " + dir.resolve("missing"))
                .endsWith("; the daemon creates it at first start, and only its owner (root) may read it\n");
    }

    @Test
    void anUnknownOptionIsAUsageErrorWithTwo() {
        FakeAdminEndpoint.Run r = endpoint.run("targets", "--bogus");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("Unknown option: '--bogus'\nUsage: tandemctl targets\n");
        assertThat(endpoint.requests()).isEmpty();
    }

    @Test
    void jsonPrintsWhatTheDaemonSaidIndented() {
        endpoint.answer("GET", "/targets", "[{\"name\":\"iqn.x:a\",\"luns\":[]}]");

        FakeAdminEndpoint.Run r = endpoint.run("--json", "targets");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                [ {
                  "name" : "iqn.x:a",
                  "luns" : [ ]
                } ]
                """);
    }

    @Test
    void jsonOfAnEmptyAnswerIsAnEmptyObject() {
        endpoint.answer("POST", "/config/save", "");

        FakeAdminEndpoint.Run r = endpoint.run("--json", "save");

        assertThat(r.out()).isEqualTo("{}\n");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = TandemCtlTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
