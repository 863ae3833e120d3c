package org.tandem.scsi.reservation;

import org.tandem.scsi.sam.ItNexus;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a logical unit's persistent reservations are (SPC-5 section 5.14): the PRgeneration, the
 * registrations in registration order, and the reservation's holder and type. An immutable value, so the
 * cluster can copy it to the peer server before a PERSISTENT RESERVE OUT completes, and the peer can take it over
 * with its LUNs. The SPC-2 RESERVE/RELEASE reservation is left out: a failover is an I_T nexus loss, which
 * releases it anyway.
 *
 * <p>Its byte form (version 1, big-endian): version (1), generation (4), type (1), registration count (2), per
 * registration: initiator port name, target port name (each as modified UTF-8 with a 2-byte length) and key (8);
 * then a holder flag (1) and, if set, the holder's two port names.
 */
public record ReservationState(int generation, List<Registration> registrations, ItNexus holder, int type) {
    private static final int FORMAT = 1;
    /** More than any initiator population registers on one LUN; bounds what a decoder accepts. */
    private static final int MAX_REGISTRATIONS = 4096;

    /** A registered I_T nexus and its reservation key. */
    public record Registration(ItNexus nexus, long key) {
    }

    public static final ReservationState EMPTY = new ReservationState(0, List.of(), null, 0);

    public ReservationState {
        registrations = List.copyOf(registrations);
    }

    public byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + registrations.size() * 128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT);
            out.writeInt(generation);
            out.writeByte(type);
            out.writeShort(registrations.size());
            for (Registration r : registrations) {
                writeNexus(out, r.nexus());
                out.writeLong(r.key());
            }
            out.writeBoolean(holder != null);
            if (holder != null) {
                writeNexus(out, holder);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
    }

    /** Decodes {@link #encode()}'s form; anything else is an IllegalArgumentException saying what is wrong. */
    public static ReservationState decode(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("reservation state format " + format + ", expected " + FORMAT);
            }
            int generation = in.readInt();
            int type = in.readUnsignedByte();
            if (type != 0 && !PersistentReservations.validType(type)) {
                throw new IllegalArgumentException("reservation type " + type);
            }
            int count = in.readUnsignedShort();
            if (count > MAX_REGISTRATIONS) {
                throw new IllegalArgumentException(count + " registrations");
            }
            List<Registration> registrations = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                registrations.add(new Registration(readNexus(in), in.readLong()));
            }
            ItNexus holder = in.readBoolean() ? readNexus(in) : null;
            if (in.available() != 0) {
                throw new IllegalArgumentException(in.available() + " trailing bytes");
            }
            return new ReservationState(generation, registrations, holder, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated reservation state", e);
        }
    }

    private static void writeNexus(DataOutputStream out, ItNexus n) throws IOException {
        out.writeUTF(n.initiatorPortName());
        out.writeUTF(n.targetPortName());
    }

    private static ItNexus readNexus(DataInputStream in) throws IOException {
        return new ItNexus(in.readUTF(), in.readUTF());
    }
}
