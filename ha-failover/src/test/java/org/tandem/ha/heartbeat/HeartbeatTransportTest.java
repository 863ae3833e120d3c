package org.tandem.ha.heartbeat;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.AuthKeys;
import org.tandem.ha.config.HeartbeatLink;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two transports on loopback (different ports, as two hosts would use one): packets cross, noise is assigned. */
class HeartbeatTransportTest {
    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void heartbeatsCrossOnUnicastAndComeOutVerified() throws Exception {
        int portA = freePort();
        int portB = freePort();
        PacketCodec codec = new PacketCodec(AuthKeys.parse(Path.of("authkeys"),
                List.of("auth 1", "1 sha256 a-test-secret-of-some-length")));
        LinkedBlockingQueue<Object[]> atB = new LinkedBlockingQueue<>();
        List<HeartbeatLink> links = List.of(new HeartbeatLink.Unicast("lo", "127.0.0.1"));
        try (HeartbeatTransport a = new HeartbeatTransport(links, portA, portB, (l, d) -> { });
             HeartbeatTransport b = new HeartbeatTransport(links, portB, portA,
                     (l, d) -> atB.add(new Object[] {l, d}))) {
            assertThat(a.links()).hasSize(1);
            HeartbeatPacket p = new HeartbeatPacket("storage1", 7, 1, NodeState.ACTIVE,
                    HeartbeatPacket.PingStatus.NONE_CONFIGURED, Map.of());
            a.send(codec.encode(p));
            Object[] got = atB.poll(5, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got[0]).isEqualTo(0);
            byte[] data = (byte[]) got[1];
            assertThat(codec.decode(data, data.length).packet()).isEqualTo(p);
            // A stranger's datagram reaches the port too; it is handed over for the codec to drop.
            try (DatagramSocket s = new DatagramSocket()) {
                byte[] junk = "not a heartbeat".getBytes();
                s.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), portB));
            }
            Object[] noise = atB.poll(5, TimeUnit.SECONDS);
            byte[] n = (byte[]) noise[1];
            assertThat(codec.decode(n, n.length).drop()).isEqualTo(PacketCodec.Drop.MALFORMED);
        }
    }
}
