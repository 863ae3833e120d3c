package org.tandem.server.ha;

import org.junit.jupiter.api.Test;
import org.tandem.ha.heartbeat.TcpConnection;
import org.tandem.server.net.ConnectionAddress;

import java.net.InetSocketAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's connection list as the heartbeats carry it to the peer, for the tickle after a takeover. */
class ConnectionAddressMappingTest {
    @Test
    void ipv4ConnectionsKeepTheirFourTupleAndIpv6OnesAreLeftOut() {
        ConnectionAddress v4 = new ConnectionAddress(new InetSocketAddress("192.0.2.100", 3260),
                new InetSocketAddress("192.0.2.7", 51234));
        ConnectionAddress v6 = new ConnectionAddress(new InetSocketAddress("2001:db8::100", 3260),
                new InetSocketAddress("2001:db8::7", 51235));

        List<TcpConnection> carried = ClusterSetup.tcpConnections(List.of(v4, v6));

        assertThat(carried).containsExactly(new TcpConnection(0xc0000264, 3260, 0xc0000207, 51234));
        assertThat(carried.get(0)).hasToString("192.0.2.7:51234->192.0.2.100:3260");
    }
}
