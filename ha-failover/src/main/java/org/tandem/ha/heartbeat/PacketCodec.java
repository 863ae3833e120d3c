package org.tandem.ha.heartbeat;

import org.tandem.ha.config.AuthKeys;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire format of a heartbeat, big-endian:
 * <pre>
 *  0  "TDHB"            magic
 *  4  version (1)       1
 *  5  key index         authkeys index of the HMAC key
 *  6  type (1)          1 = heartbeat
 *  7  reserved (1)
 *  8  generation (8)    this run of the sender's daemon (its start time in ms: rises across restarts)
 * 16  sequence (8)      rises by one per packet within a generation
 * 24  state (1), ping status (1), name length (1), group count (1)
 * 28  node name (UTF-8), then per group: name length (1), name, status (1)
 *  …  connection count (2), per connection: portal address (4), portal port (2), initiator address (4),
 *     initiator port (2): the initiators' connections to the sender's floating portals (at most
 *     {@link #MAX_CONNECTIONS}; a hint for tickling, not a promise)
 *  …  record count (2), per record: key length (2), key (UTF-8), version (8), payload length (2), payload
 *  …  acknowledgement count (2), per acknowledgement: key length (2), key (UTF-8), version (8)
 *  …  HMAC of everything before it (20 bytes for sha1, 32 for sha256)
 * </pre>
 * Decoding checks length, magic, version, key and signature before reading any field it trusts.
 */
public final class PacketCodec {
    private static final int MAGIC = 0x54444842; // "TDHB"
    private static final int VERSION = 1;
    private static final int TYPE_HEARTBEAT = 1;
    private static final int HEADER = 28;
    /** The largest datagram either side sends or accepts; the receive buffer size. */
    public static final int MAX_PACKET = 16384;
    /** Room kept for the replicated records of one packet; more wait for the next one. */
    public static final int RECORD_BUDGET = 12288;
    /** Connections one heartbeat carries; beyond this, initiators fall back on TCP's own retransmission. */
    public static final int MAX_CONNECTIONS = 80;

    private final AuthKeys keys;

    public PacketCodec(AuthKeys keys) {
        this.keys = keys;
    }

    /** Why a packet was not accepted. */
    public enum Drop {
        MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, FOREIGN_NODE, FOREIGN_SOURCE, REPLAYED, OWN
    }

    /** A decode outcome: the packet, or why there is none. */
    public record Decoded(HeartbeatPacket packet, Drop drop) {
        static Decoded dropped(Drop why) {
            return new Decoded(null, why);
        }
    }

    public byte[] encode(HeartbeatPacket p) {
        AuthKeys.Key key = keys.active();
        byte[] name = p.node().getBytes(StandardCharsets.UTF_8);
        if (name.length > 255 || p.groups().size() > 255) {
            throw new IllegalArgumentException("node name or group list too long for a heartbeat");
        }
        ByteBuffer b = ByteBuffer.allocate(MAX_PACKET);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) key.index()).put((byte) TYPE_HEARTBEAT).put((byte) 0);
        b.putLong(p.generation()).putLong(p.sequence());
        b.put((byte) p.state().code()).put((byte) p.ping().code()).put((byte) name.length)
                .put((byte) p.groups().size());
        b.put(name);
        for (Map.Entry<String, HeartbeatPacket.GroupStatus> g : p.groups().entrySet()) {
            byte[] groupName = g.getKey().getBytes(StandardCharsets.UTF_8);
            b.put((byte) groupName.length).put(groupName).put((byte) g.getValue().code());
        }
        int n = Math.min(p.connections().size(), MAX_CONNECTIONS);
        b.putShort((short) n);
        for (TcpConnection c : p.connections().subList(0, n)) {
            b.putInt(c.localAddress()).putShort((short) c.localPort()).putInt(c.remoteAddress())
                    .putShort((short) c.remotePort());
        }
        b.putShort((short) p.records().size());
        for (HeartbeatPacket.StateRecord r : p.records()) {
            putKey(b, r.key());
            b.putLong(r.version()).putShort((short) r.payload().length).put(r.payload());
        }
        b.putShort((short) p.acks().size());
        for (HeartbeatPacket.StateAck a : p.acks()) {
            putKey(b, a.key());
            b.putLong(a.version());
        }
        byte[] signature = mac(key, b.array(), b.position());
        b.put(signature);
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    /** Decodes and verifies a datagram; never throws on bad input. */
    public Decoded decode(byte[] data, int length) {
        if (length < HEADER + 20) {
            return Decoded.dropped(Drop.MALFORMED);
        }
        ByteBuffer b = ByteBuffer.wrap(data, 0, length);
        if (b.getInt() != MAGIC || b.get() != VERSION) {
            return Decoded.dropped(Drop.MALFORMED);
        }
        AuthKeys.Key key = keys.key(b.get() & 0xff);
        if (key == null) {
            return Decoded.dropped(Drop.UNKNOWN_KEY);
        }
        int macLength = key.algorithm().equals("HmacSHA1") ? 20 : 32;
        int signed = length - macLength;
        if (signed < HEADER) {
            return Decoded.dropped(Drop.MALFORMED);
        }
        byte[] expected = mac(key, data, signed);
        byte[] actual = new byte[macLength];
        System.arraycopy(data, signed, actual, 0, macLength);
        if (!MessageDigest.isEqual(expected, actual)) {
            return Decoded.dropped(Drop.BAD_SIGNATURE);
        }
        try {
            if (b.get() != TYPE_HEARTBEAT) {
                return Decoded.dropped(Drop.MALFORMED);
            }
            b.get();
            long generation = b.getLong();
            long sequence = b.getLong();
            NodeState state = NodeState.of(b.get());
            HeartbeatPacket.PingStatus ping = HeartbeatPacket.PingStatus.of(b.get());
            int nameLength = b.get() & 0xff;
            int groupCount = b.get() & 0xff;
            String node = string(b, nameLength, signed);
            Map<String, HeartbeatPacket.GroupStatus> groups = new LinkedHashMap<>();
            for (int i = 0; i < groupCount; i++) {
                String group = string(b, b.get() & 0xff, signed);
                HeartbeatPacket.GroupStatus status = HeartbeatPacket.GroupStatus.of(b.get());
                if (status == null) {
                    return Decoded.dropped(Drop.MALFORMED);
                }
                groups.put(group, status);
            }
            int count = b.getShort() & 0xffff;
            if (count > MAX_CONNECTIONS) {
                return Decoded.dropped(Drop.MALFORMED);
            }
            List<TcpConnection> connections = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                connections.add(new TcpConnection(b.getInt(), b.getShort() & 0xffff, b.getInt(),
                        b.getShort() & 0xffff));
            }
            int recordCount = b.getShort() & 0xffff;
            List<HeartbeatPacket.StateRecord> records = new ArrayList<>();
            for (int i = 0; i < recordCount; i++) {
                String k = string(b, b.getShort() & 0xffff, signed);
                long version = b.getLong();
                int payloadLength = b.getShort() & 0xffff;
                if (b.position() + payloadLength > signed) {
                    return Decoded.dropped(Drop.MALFORMED);
                }
                byte[] payload = new byte[payloadLength];
                b.get(payload);
                records.add(new HeartbeatPacket.StateRecord(k, version, payload));
            }
            int ackCount = b.getShort() & 0xffff;
            List<HeartbeatPacket.StateAck> acks = new ArrayList<>();
            for (int i = 0; i < ackCount; i++) {
                acks.add(new HeartbeatPacket.StateAck(string(b, b.getShort() & 0xffff, signed), b.getLong()));
            }
            if (state == null || ping == null || node.isEmpty() || b.position() != signed) {
                return Decoded.dropped(Drop.MALFORMED);
            }
            return new Decoded(new HeartbeatPacket(node, generation, sequence, state, ping, groups, connections,
                    records, acks), null);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            return Decoded.dropped(Drop.MALFORMED);
        }
    }

    private static void putKey(ByteBuffer b, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) k.length).put(k);
    }

    /** Bytes a record takes in a packet (to fill one up to {@link #RECORD_BUDGET}). */
    public static int size(HeartbeatPacket.StateRecord r) {
        return 2 + r.key().getBytes(StandardCharsets.UTF_8).length + 8 + 2 + r.payload().length;
    }

    private static String string(ByteBuffer b, int length, int limit) {
        if (b.position() + length > limit) {
            throw new IndexOutOfBoundsException();
        }
        byte[] s = new byte[length];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static byte[] mac(AuthKeys.Key key, byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance(key.algorithm());
            mac.init(new SecretKeySpec(key.secret(), key.algorithm()));
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE has " + key.algorithm(), e);
        }
    }
}
