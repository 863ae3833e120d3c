package org.tandem.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** cluster and switchover: the /cluster resource. */
class ClusterCommandsTest extends AdminEndpointTestBase {
    private static final String CLUSTER = """
            {"self":"a","selfState":"ACTIVE","ping":"up","peer":"b","peerStatus":"alive","peerState":"STANDBY",
             "peerPing":"up","droppedPackets":0,
             "links":[{"link":"ucast eth1 10.0.0.2","up":true,"lastHeardMillisAgo":120},
                      {"link":"bcast eth2","up":false,"lastHeardMillisAgo":-1}],
             "groups":[{"name":"ha","preferredNode":"a","here":"SERVING","onPeer":"STOPPED",
                        "targets":["iqn.x:a","iqn.x:b"]}],
             "lastTakeover":{"action":"release","group":"ha","startedAt":"2026-11-30T01:00:00Z",
               "reason":"switchover","totalMillis":1234,
               "steps":[{"step":"targets standby","millis":1000,"ok":true},
                        {"step":"address down 192.0.2.100/24 on eth0","millis":34,"ok":false,"detail":"busy"}]}}
            """;

    @Test
    void clusterShowsNodesLinksGroupsAndTheLastTakeover() {
        endpoint.answer("GET", "/cluster", CLUSTER);

        FakeAdminEndpoint.Run r = endpoint.run("cluster");

        assertThat(r.out()).isEqualTo("""
                node a ACTIVE (ping up); peer b alive STANDBY (ping up); 0 packet(s) dropped

                LINK                 STATE  LAST HEARD
                ucast eth1 10.0.0.2  up     120 ms ago
                bcast eth2           DOWN   never

                GROUP  PREFERRED  HERE     ON PEER  TARGETS
                ha     a          SERVING  STOPPED  iqn.x:a,iqn.x:b

                last: release ha at 2026-11-30T01:00:00Z (switchover), 1234 ms:
                  targets standby                                      1000 ms
                  address down 192.0.2.100/24 on eth0                    34 ms  FAILED: busy
                """);
    }

    @Test
    void clusterWithoutATakeoverStopsAfterTheGroups() {
        endpoint.answer("GET", "/cluster", "{\"self\":\"a\",\"links\":[],\"groups\":[],\"lastTakeover\":null}");

        FakeAdminEndpoint.Run r = endpoint.run("cluster");

        assertThat(r.out()).endsWith("\nGROUP  PREFERRED  HERE  ON PEER  TARGETS\n");
    }

    @Test
    void switchoverSaysHowLongTheReleaseTook() {
        endpoint.answer("POST", "/cluster/groups/ha/switchover", CLUSTER);

        FakeAdminEndpoint.Run r = endpoint.run("switchover", "ha");

        assertThat(r.out()).isEqualTo("group ha released here in 1234 ms; b starts it now\n");
    }
}
