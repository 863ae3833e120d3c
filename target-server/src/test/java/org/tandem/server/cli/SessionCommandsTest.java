package org.tandem.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** sessions and logout: the /sessions resource. */
class SessionCommandsTest extends AdminEndpointTestBase {

    @Test
    void sessionsShowTheNegotiatedParameters() {
        endpoint.answer("GET", "/sessions?target=iqn.x%3Aa", """
                [{"tsih":1,"initiatorName":"iqn.1993-08.org.debian:01:a","isid":"00023d000001","discovery":false,
                  "target":"iqn.x:a","connections":[{"remoteAddress":"/10.0.0.5:51000"}],"commandsInFlight":4,
                  "parameters":{"headerDigest":true,"dataDigest":false,"maxRecvDataSegmentLength":262144,
                  "maxBurstLength":1048576,"firstBurstLength":65536,"immediateData":true,"initialR2T":false}},
                 {"tsih":2,"initiatorName":"iqn.y","isid":"400001370000","discovery":true,"target":null,
                  "connections":[],"commandsInFlight":0,"parameters":{}}]
                """);

        FakeAdminEndpoint.Run r = endpoint.run("sessions", "--target", "iqn.x:a");

        assertThat(r.out()).isEqualTo("""
                TSIH  INITIATOR                    ISID          TARGET       FROM            CONNS  DIGEST       \
                MAXRECV  MAXBURST  FIRSTBURST  IMMEDIATE  INITIALR2T  IN-FLIGHT
                1     iqn.1993-08.org.debian:01:a  00023d000001  iqn.x:a      10.0.0.5:51000  1      CRC32C/None  \
                262144   1048576   65536       Yes        No          4
                2     iqn.y                        400001370000  (discovery)  -               0      None/None    \
                0        0         0           No         No          0
                """);
    }

    @Test
    void logoutAsksTheDaemonAndSaysWhenItCloses() {
        endpoint.answer("DELETE", "/sessions/7?wait=10", "{\"initiatorName\":\"iqn.y\",\"closesWithinSeconds\":10}");

        FakeAdminEndpoint.Run r = endpoint.run("logout", "7", "--wait", "10");

        assertThat(r.out()).isEqualTo("logout requested for session 7 (iqn.y); closed within 10 s if it does not"
                + " log out\n");
    }
}
