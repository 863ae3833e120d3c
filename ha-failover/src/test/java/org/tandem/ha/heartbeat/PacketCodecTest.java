package org.tandem.ha.heartbeat;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.AuthKeys;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Heartbeats round-trip; forged, tampered, truncated, foreign and replayed ones are dropped with their reason. */
class PacketCodecTest {
    private static final Path FILE = Path.of("/etc/ha.d/authkeys");

    private static AuthKeys keys(String... lines) throws Exception {
        return AuthKeys.parse(FILE, List.of(lines));
    }

    private static HeartbeatPacket packet(String node, long generation, long sequence) {
        return new HeartbeatPacket(node, generation, sequence, NodeState.ACTIVE, HeartbeatPacket.PingStatus.REACHABLE,
                Map.of("db", HeartbeatPacket.GroupStatus.SERVING));
    }

    @Test
    void roundTripsWithEitherAlgorithm() throws Exception {
        for (String algorithm : new String[] {"sha1", "sha256"}) {
            PacketCodec codec = new PacketCodec(keys("auth 1", "1 " + algorithm + " a-secret-of-sixteen+"));
            HeartbeatPacket p = packet("storage1", 1_764_000_000_000L, 42);
            byte[] wire = codec.encode(p);
            assertThat(wire.length).isEqualTo(28 + 8 + 1 + 2 + 1 + 2 + 2 + 2 + ("sha1".equals(algorithm) ? 20 : 32));
            PacketCodec.Decoded d = codec.decode(wire, wire.length);
            assertThat(d.drop()).isNull();
            assertThat(d.packet()).isEqualTo(p);
        }
    }

    @Test
    void carriesTheInitiatorsConnectionsForTickling() throws Exception {
        PacketCodec codec = new PacketCodec(keys("auth 1", "1 sha256 a-secret-of-sixteen+"));
        List<TcpConnection> connections = List.of(new TcpConnection(TcpConnection.address(new byte[] {10, 77, 0, 100}),
                3260, TcpConnection.address(new byte[] {10, 77, 0, 10}), 51234));
        HeartbeatPacket p = new HeartbeatPacket("storage1", 1, 2, NodeState.ACTIVE, HeartbeatPacket.PingStatus.REACHABLE,
                Map.of(), connections);
        byte[] wire = codec.encode(p);
        assertThat(codec.decode(wire, wire.length).packet().connections()).isEqualTo(connections);
        assertThat(connections.get(0).toString()).isEqualTo("10.77.0.10:51234->10.77.0.100:3260");
    }

    @Test
    void carriesReplicatedRecordsAndAcknowledgements() throws Exception {
        PacketCodec codec = new PacketCodec(keys("auth 1", "1 sha256 a-secret-of-sixteen+"));
        List<HeartbeatPacket.StateRecord> records = List.of(
                new HeartbeatPacket.StateRecord("pr iqn.x:db 0", 3, new byte[] {1, 2, 3}),
                new HeartbeatPacket.StateRecord("pr iqn.x:db 1", 1, new byte[0]));
        List<HeartbeatPacket.StateAck> acks = List.of(new HeartbeatPacket.StateAck("pr iqn.x:web 0", 9));
        HeartbeatPacket p = new HeartbeatPacket("storage1", 1, 2, NodeState.ACTIVE,
                HeartbeatPacket.PingStatus.REACHABLE, Map.of(), List.of(), records, acks);
        byte[] wire = codec.encode(p);
        HeartbeatPacket back = codec.decode(wire, wire.length).packet();
        assertThat(back.records()).isEqualTo(records);
        assertThat(back.acks()).isEqualTo(acks);
        assertThat(back).isEqualTo(p);
    }

    @Test
    void dropsWhatIsNotSignedWithOurKeyOrIsDamaged() throws Exception {
        PacketCodec ours = new PacketCodec(keys("auth 1", "1 sha256 our-cluster-secret-1"));
        PacketCodec theirs = new PacketCodec(keys("auth 1", "1 sha256 another-cluster-key"));
        PacketCodec otherIndex = new PacketCodec(keys("auth 7", "7 sha256 our-cluster-secret-1"));
        byte[] forged = theirs.encode(packet("storage2", 1, 1));
        assertThat(ours.decode(forged, forged.length).drop()).isEqualTo(PacketCodec.Drop.BAD_SIGNATURE);
        byte[] unknownKey = otherIndex.encode(packet("storage2", 1, 1));
        assertThat(ours.decode(unknownKey, unknownKey.length).drop()).isEqualTo(PacketCodec.Drop.UNKNOWN_KEY);

        byte[] good = ours.encode(packet("storage2", 1, 1));
        byte[] tampered = good.clone();
        tampered[23] ^= 1; // sequence 1 -> 0
        assertThat(ours.decode(tampered, tampered.length).drop()).isEqualTo(PacketCodec.Drop.BAD_SIGNATURE);
        assertThat(ours.decode(good, good.length - 1).drop()).isEqualTo(PacketCodec.Drop.BAD_SIGNATURE);
        assertThat(ours.decode(good, 10).drop()).isEqualTo(PacketCodec.Drop.MALFORMED);
        byte[] notOurs = "hello, heartbeat v1 packet from somewhere else".getBytes();
        assertThat(ours.decode(notOurs, notOurs.length).drop()).isEqualTo(PacketCodec.Drop.MALFORMED);
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(200)];
            random.nextBytes(noise);
            if (noise.length > 6 && random.nextBoolean()) {
                System.arraycopy(good, 0, noise, 0, 6); // right magic, version and key index
            }
            assertThat(ours.decode(noise, noise.length).drop()).isNotNull();
        }
    }

    @Test
    void replaysForeignNodesAndOurOwnEchoesAreDropped() {
        ReplayGuard guard = new ReplayGuard("storage1", List.of("storage1", "storage2"));
        assertThat(guard.check(packet("storage2", 100, 1), 0).verdict()).isEqualTo(ReplayGuard.Verdict.NEW);
        assertThat(guard.check(packet("storage2", 100, 1), 1).verdict()).as("same packet on the second link")
                .isEqualTo(ReplayGuard.Verdict.LINK_COPY);
        assertThat(guard.check(packet("storage2", 100, 1), 0).drop()).isEqualTo(PacketCodec.Drop.REPLAYED);
        assertThat(guard.check(packet("storage2", 100, 2), 0).verdict()).isEqualTo(ReplayGuard.Verdict.NEW);
        for (long s = 3; s <= 10; s++) {
            guard.check(packet("storage2", 100, s), 0);
        }
        assertThat(guard.check(packet("storage2", 100, 2), 1).drop()).as("an old packet replayed on another link")
                .isEqualTo(PacketCodec.Drop.REPLAYED);
        assertThat(guard.check(packet("storage2", 100, 9), 1).verdict()).as("a slow link one packet behind")
                .isEqualTo(ReplayGuard.Verdict.LINK_COPY);
        assertThat(guard.check(packet("storage2", 99, 500), 0).drop()).as("an older generation")
                .isEqualTo(PacketCodec.Drop.REPLAYED);
        assertThat(guard.check(packet("storage2", 101, 1), 0).verdict()).as("the peer restarted")
                .isEqualTo(ReplayGuard.Verdict.NEW);
        assertThat(guard.check(packet("storage1", 5, 1), 0).drop()).isEqualTo(PacketCodec.Drop.OWN);
        assertThat(guard.check(packet("mallory", 5, 1), 0).drop()).isEqualTo(PacketCodec.Drop.FOREIGN_NODE);
    }

    /**
     * Node names ignore case, as in Heartbeat: a peer that sends its name in other capitals than ours (an older
     * Tandem sent ha.cf's spelling) is the same node, and its replays and our echoes are still told apart.
     */
    @Test
    void nodeNamesInPacketsCompareWithoutCase() {
        ReplayGuard guard = new ReplayGuard("Storage1", List.of("STORAGE1", "Storage2"));
        assertThat(guard.check(packet("STORAGE2", 100, 1), 0).verdict()).isEqualTo(ReplayGuard.Verdict.NEW);
        assertThat(guard.check(packet("storage2", 100, 1), 0).drop()).as("the same packet in other capitals")
                .isEqualTo(PacketCodec.Drop.REPLAYED);
        assertThat(guard.check(packet("storage1", 5, 1), 0).drop()).isEqualTo(PacketCodec.Drop.OWN);
        assertThat(guard.peek(packet("sToRaGe1", 5, 1))).isEqualTo(PacketCodec.Drop.OWN);
        assertThat(guard.peek(packet("Storage2", 100, 2))).as("news, from an unknown address").isNull();
    }
}
