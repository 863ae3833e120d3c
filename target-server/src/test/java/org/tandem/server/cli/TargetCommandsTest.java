package org.tandem.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** targets, add-target and remove-target: the /targets resource of the admin endpoint. */
class TargetCommandsTest extends AdminEndpointTestBase {

    @Test
    void targetsShowsChapAsNoneOneWayOrMutual() {
        endpoint.answer("GET", "/targets", """
                [{"name":"iqn.2026-11.org.example:disk","luns":[{},{}],"sessions":2,"incomingUsers":["u"],
                  "outgoingUser":null,"alias":"Disk"},
                 {"name":"iqn.x:b","luns":[],"sessions":0,"incomingUsers":[],"outgoingUser":null,"alias":null},
                 {"name":"iqn.x:c","luns":[{}],"sessions":0,"incomingUsers":["u"],"outgoingUser":"o","alias":null}]
                """);

        FakeAdminEndpoint.Run r = endpoint.run("targets");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("""
                TARGET                        LUNS  SESSIONS  CHAP     ALIAS
                iqn.2026-11.org.example:disk  2     2         one-way  Disk
                iqn.x:b                       0     0         none     -
                iqn.x:c                       1     0         mutual   -
                """);
    }

    @Test
    void addTargetPostsNameAliasAndSettings() {
        endpoint.answer("POST", "/targets", "{\"name\":\"iqn.x:a\"}");

        FakeAdminEndpoint.Run r = endpoint.run("add-target", "iqn.x:a", "--alias", "A", "--set",
                "MaxConnections=4", "--set", "ImmediateData=No");

        assertThat(onlyRequest()).isEqualTo("POST /targets {\"name\":\"iqn.x:a\",\"alias\":\"A\",\"settings\":"
                + "{\"MaxConnections\":\"4\",\"ImmediateData\":\"No\"}}");
        assertThat(r.out()).isEqualTo("target iqn.x:a created\n");
    }

    @Test
    void addTargetWithoutAliasSendsNone() {
        endpoint.answer("POST", "/targets", "{}");

        endpoint.run("add-target", "iqn.x:a");

        assertThat(onlyRequest()).isEqualTo("POST /targets {\"name\":\"iqn.x:a\",\"settings\":{}}");
    }

    @Test
    void removeTargetEncodesTheNameAndForces() {
        endpoint.answer("DELETE", "/targets/iqn.x%3Aa%20b?force=true", "");

        FakeAdminEndpoint.Run r = endpoint.run("remove-target", "iqn.x:a b", "--force");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("target iqn.x:a b removed\n");
    }
}
