package org.tandem.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Persistent reservations from the command line, for the cluster tests: none of the initiators on this machine
 * (libiscsi's tools, qemu) issue PERSISTENT RESERVE OUT on request, so this small one does, from inside the
 * initiator's network namespace ({@code ip netns exec ... java -cp ... ReservationClient}). One I_T nexus per run
 * (the ISID given), commands in order, one line of output each:
 * <pre>
 *   ReservationClient HOST TARGET ISID register KEY | reserve KEY TYPE | keys | reservation | write | alua
 * </pre>
 * ({@code alua}: REPORT TARGET PORT GROUPS, "alua STATUS state=active/optimized|standby|... group=N").
 */
public final class ReservationClient {
    private final TestInitiator io;
    private int itt = 1;
    private int cmdSn = 1;

    private ReservationClient(TestInitiator io) {
        this.io = io;
    }

    public static void main(String[] args) throws Exception {
        try (TestInitiator io = new TestInitiator(args[0], 3260)) {
            LoginResponse login = io.login(args[1], Long.parseUnsignedLong(args[2], 16));
            if (login.statusClass() != 0) {
                System.out.println("login refused " + login.statusClass() + "/" + login.statusDetail());
                System.exit(2);
            }
            ReservationClient c = new ReservationClient(io);
            c.run(new byte[] {0, 0, 0, 0, 0, 0}, null, 0); // takes the power-on or reset unit attention
            for (int i = 3; i < args.length; i++) {
                switch (args[i]) {
                    case "register" -> System.out.println("register " + c.prout(0, 0, 0, Long.parseUnsignedLong(args[++i], 16)));
                    case "reserve" -> {
                        long key = Long.parseUnsignedLong(args[++i], 16);
                        System.out.println("reserve " + c.prout(1, Integer.parseInt(args[++i]), key, 0));
                    }
                    case "keys" -> System.out.println("keys " + c.keys());
                    case "alua" -> System.out.println("alua " + c.alua());
                    case "reservation" -> System.out.println("reservation " + c.reservation());
                    case "write" -> {
                        byte[] cdb = {0x2a, 0, 0, 0, 0, 0, 0, 0, 1, 0};
                        System.out.println("write " + c.run(cdb, Unpooled.wrappedBuffer(new byte[512]), 512).status);
                    }
                    default -> throw new IllegalArgumentException("unknown command " + args[i]);
                }
            }
        }
    }

    private record Outcome(String status, byte[] data) {
    }

    private String prout(int action, int type, long key, long serviceActionKey) throws IOException {
        byte[] cdb = {0x5f, (byte) action, (byte) type, 0, 0, 0, 0, 0, 24, 0};
        ByteBuf list = Unpooled.buffer(24).writeLong(key).writeLong(serviceActionKey).writeZero(8);
        return run(cdb, list, 24).status;
    }

    /** READ KEYS: "generation=N [k1, k2]" in hex. */
    private String keys() throws IOException {
        Outcome o = run(new byte[] {0x5e, 0, 0, 0, 0, 0, 0, 0x10, 0, 0}, null, 4096);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(o.data);
        int generation = b.getInt();
        int length = b.getInt();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < length / 8; i++) {
            keys.add(Long.toHexString(b.getLong()));
        }
        return o.status + " generation=" + generation + " " + keys;
    }

    /** REPORT TARGET PORT GROUPS: the first group's asymmetric access state and identifier. */
    private String alua() throws IOException {
        Outcome o = run(new byte[] {(byte) 0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, null, 256);
        if (o.data.length < 8) {
            return o.status;
        }
        String state = switch (o.data[4] & 0x0f) {
            case 0 -> "active/optimized";
            case 1 -> "active/non-optimized";
            case 2 -> "standby";
            case 3 -> "unavailable";
            case 0xf -> "transitioning";
            default -> "state-" + (o.data[4] & 0x0f);
        };
        return o.status + " state=" + state + " group=" + (((o.data[6] & 0xff) << 8) | (o.data[7] & 0xff));
    }

    /** READ RESERVATION: "key=K type=T" or "none". */
    private String reservation() throws IOException {
        Outcome o = run(new byte[] {0x5e, 1, 0, 0, 0, 0, 0, 0x10, 0, 0}, null, 4096);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(o.data);
        b.getInt();
        int length = b.getInt();
        if (length == 0) {
            return o.status + " none";
        }
        long key = b.getLong();
        b.getInt();
        b.get();
        int type = b.get() & 0x0f;
        return o.status + " key=" + Long.toHexString(key) + " type=" + type;
    }

    /** Sends one command (data-out as immediate data) and waits for its status (and data-in). */
    private Outcome run(byte[] cdb, ByteBuf dataOut, int length) throws IOException {
        int tag = itt++;
        boolean write = dataOut != null;
        byte[] full = java.util.Arrays.copyOf(cdb, 16);
        io.send(new ScsiCommand(false, true, !write && length > 0, write, ScsiTaskAttribute.SIMPLE, 0, tag, length,
                cmdSn++, 0, full, -1, write ? dataOut : Unpooled.EMPTY_BUFFER));
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        while (true) {
            Object r = io.receive();
            if (r == null) {
                throw new IOException("the target closed the connection");
            }
            if (r instanceof NopIn ping) {
                if (ping.targetTransferTag() != -1) {
                    io.answer(ping);
                }
                ping.release();
                continue;
            }
            if (r instanceof DataIn d && d.initiatorTaskTag() == tag) {
                byte[] chunk = new byte[d.data().readableBytes()];
                d.data().readBytes(chunk);
                data.write(chunk);
                d.release();
                if (d.statusPresent()) {
                    return new Outcome(status(d.status()), data.toByteArray());
                }
                continue;
            }
            if (r instanceof ScsiResponse s && s.initiatorTaskTag() == tag) {
                int st = s.status();
                s.release();
                return new Outcome(status(st), data.toByteArray());
            }
            if (r instanceof IscsiPdu p) {
                p.release();
            }
        }
    }

    private static String status(int s) {
        return switch (s) {
            case 0 -> "GOOD";
            case 2 -> "CHECK_CONDITION";
            case 0x18 -> "RESERVATION_CONFLICT";
            default -> "STATUS_" + s;
        };
    }
}
