package org.tandem.ha.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** Heartbeat's findif rule over {@code ip route show} text: the most specific directly attached route. */
class RouteTableTest {
    private static final RouteTable ROUTES = RouteTable.parse("""
            default via 192.168.1.1 dev eth0 proto dhcp src 192.168.1.10 metric 100
            10.0.0.0/8 via 192.168.1.254 dev eth0
            blackhole 10.9.0.0/16
            unreachable 172.31.0.0/16
            192.168.0.0/16 dev eth1 proto kernel scope link src 192.168.200.1
            192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10 metric 100
            172.16.5.9 dev tun0 scope link
            198.51.100.0/24 proto static
            \tnexthop via 192.168.1.2 dev eth0 weight 1
            2001:db8:1::/64 dev eth2 proto kernel metric 256 pref medium
            fe80::/64 dev eth0 proto kernel metric 256 pref medium
            default via fe80::1 dev eth0 proto ra metric 1024
            """);

    private static RouteTable.Route find(String address, String dev) throws Exception {
        return ROUTES.find(InetAddress.getByName(address), dev).orElseThrow();
    }

    @Test
    void theMostSpecificDirectRouteGivesDeviceAndPrefix() throws Exception {
        assertThat(find("192.168.1.100", "")).extracting(RouteTable.Route::dev, RouteTable.Route::prefix)
                .containsExactly("eth0", 24);
        assertThat(find("192.168.7.1", "")).extracting(RouteTable.Route::dev, RouteTable.Route::prefix)
                .containsExactly("eth1", 16);
        assertThat(find("172.16.5.9", "").prefix()).isEqualTo(32);
        assertThat(find("2001:db8:1::100", "")).extracting(RouteTable.Route::dev, RouteTable.Route::prefix)
                .containsExactly("eth2", 64);
    }

    @Test
    void aGivenInterfaceLimitsTheSearchToIt() throws Exception {
        assertThat(find("192.168.1.100", "eth1")).extracting(RouteTable.Route::dev, RouteTable.Route::prefix)
                .containsExactly("eth1", 16);
        assertThat(ROUTES.find(InetAddress.getByName("192.168.1.100"), "eth9")).isEmpty();
    }

    @Test
    void defaultGatewayAndTypedRoutesNeverAnswer() throws Exception {
        assertThat(ROUTES.find(InetAddress.getByName("203.0.113.5"), "")).isEmpty(); // only the default has it
        assertThat(ROUTES.find(InetAddress.getByName("10.1.2.3"), "")).isEmpty(); // through a gateway
        assertThat(ROUTES.find(InetAddress.getByName("10.9.0.1"), "")).isEmpty(); // blackhole
        assertThat(ROUTES.find(InetAddress.getByName("172.31.0.1"), "")).isEmpty(); // unreachable
        assertThat(ROUTES.find(InetAddress.getByName("198.51.100.7"), "")).isEmpty(); // multipath, via
        assertThat(ROUTES.find(InetAddress.getByName("2001:db8:2::1"), "")).isEmpty();
        assertThat(ROUTES.routes()).hasSize(5);
    }
}
