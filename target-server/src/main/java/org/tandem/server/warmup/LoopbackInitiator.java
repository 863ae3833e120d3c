package org.tandem.server.warmup;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.codec.IscsiFrameDecoder;
import org.tandem.iscsi.codec.IscsiPduEncoder;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.LogoutResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The smallest initiator that does what a reconnecting one does: a blocking socket to this process's own loopback
 * listener, Tandem's codec for the PDUs, one command at a time. Every answer is checked; anything else is an
 * {@link IOException} saying what came instead. Bounded: connect within 2 s, each answer within 5 s.
 */
final class LoopbackInitiator implements AutoCloseable {
    /** GOOD (SAM-5 5.3.1). */
    static final int GOOD = 0;
    private static final int CONNECT_MILLIS = 2000;
    private static final int ANSWER_MILLIS = 5000;
    private static final int LOGIN_TAG = 1;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameSettings settings = new FrameSettings();
    private final EmbeddedChannel encoder = new EmbeddedChannel(new IscsiPduEncoder(settings));
    private final EmbeddedChannel decoder = new EmbeddedChannel(new IscsiFrameDecoder(settings, false));
    private final byte[] buffer = new byte[65536];
    private int cmdSn = 1;
    private int expStatSn;
    private int nextTag = LOGIN_TAG + 1;

    LoopbackInitiator(InetSocketAddress portal) throws IOException {
        socket = new Socket();
        try {
            socket.connect(portal, CONNECT_MILLIS);
            socket.setSoTimeout(ANSWER_MILLIS);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** A status and the data that came with it (Data-In segments joined). */
    record Answer(int status, byte[] data) {
    }

    /**
     * Logs in to a normal session in two steps, as open-iscsi and libiscsi do: the security stage with
     * AuthMethod=None, then the operational stage with the keys {@code operational} (RFC 7143 section 6.2).
     */
    void login(String initiator, String target, long isid, String operational) throws IOException {
        loginStep(LoginStage.SECURITY_NEGOTIATION, LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, isid,
                "InitiatorName=" + initiator + "\0TargetName=" + target + "\0SessionType=Normal\0AuthMethod=None\0");
        loginStep(LoginStage.LOGIN_OPERATIONAL_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE, isid, operational);
        // Both sides start with 8 KiB segments until the operational stage says otherwise (section 13.12).
        settings.maxRecvDataSegmentLength(1 << 18);
    }

    private void loginStep(LoginStage current, LoginStage next, long isid, String text) throws IOException {
        // ITT, ISID and CmdSN stay the same through the login (RFC 7143 section 11.12 and 11.12.9).
        send(new LoginRequest(true, false, current, next, 0, 0, isid, 0, LOGIN_TAG, 0, cmdSn, expStatSn,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        IscsiPdu answer = receive();
        try {
            if (!(answer instanceof LoginResponse r)) {
                throw new IOException("expected a Login Response in the " + current + " stage, got " + answer);
            }
            if (r.statusClass() != 0 || !r.transit() || r.nextStage() != next) {
                throw new IOException("login refused or not moving on in the " + current + " stage: status class "
                        + r.statusClass() + " detail " + r.statusDetail() + ", T " + r.transit() + ", NSG "
                        + r.nextStage() + ": " + r.data().toString(StandardCharsets.UTF_8).replace('\0', ' '));
            }
            expStatSn = r.statSn() + 1;
        } finally {
            answer.release();
        }
    }

    /** A command to LUN 0 without data out; collects the Data-In it returns. */
    Answer command(byte[] cdb, int expectedLength) throws IOException {
        return command(cdb, expectedLength, null);
    }

    /** A write to LUN 0 with all its data as immediate data (ImmediateData=Yes, within FirstBurstLength). */
    Answer write(byte[] cdb, byte[] data) throws IOException {
        return command(cdb, data.length, data);
    }

    private Answer command(byte[] cdb, int length, byte[] data) throws IOException {
        int itt = nextTag++;
        boolean reading = data == null && length > 0;
        send(new ScsiCommand(false, true, reading, data != null, ScsiTaskAttribute.SIMPLE, 0, itt, length, cmdSn++,
                expStatSn, cdb, -1, data == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(data)));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        while (true) {
            IscsiPdu answer = receive();
            try {
                if (answer instanceof DataIn d && d.initiatorTaskTag() == itt) {
                    d.data().readBytes(received, d.data().readableBytes());
                    if (d.statusPresent()) {
                        expStatSn = d.statSn() + 1;
                        return new Answer(d.status(), received.toByteArray());
                    }
                } else if (answer instanceof ScsiResponse s && s.initiatorTaskTag() == itt) {
                    expStatSn = s.statSn() + 1;
                    return new Answer(s.response() == 0 ? s.status() : -1, received.toByteArray());
                } else {
                    throw new IOException("while waiting for ITT " + itt + " (CDB opcode 0x"
                            + Integer.toHexString(cdb[0] & 0xff) + "): " + answer);
                }
            } finally {
                answer.release();
            }
        }
    }

    /** A NOP-Out ping that wants its data echoed (RFC 7143 section 11.18). */
    void ping() throws IOException {
        int itt = nextTag++;
        byte[] payload = "warm-up".getBytes(StandardCharsets.US_ASCII);
        send(new NopOut(true, 0, itt, Bhs.RESERVED_TAG, cmdSn, expStatSn, Unpooled.wrappedBuffer(payload)));
        IscsiPdu answer = receive();
        try {
            if (!(answer instanceof NopIn n) || n.initiatorTaskTag() != itt
                    || !Arrays.equals(ByteBufUtil.getBytes(n.data()), payload)) {
                throw new IOException("expected the NOP-In echoing ITT " + itt + ", got " + answer);
            }
            expStatSn = n.statSn() + 1;
        } finally {
            answer.release();
        }
    }

    /** Logout, reason "close the session" (section 11.14); the target must answer "closed successfully". */
    void logout() throws IOException {
        int itt = nextTag++;
        send(new LogoutRequest(true, 0, itt, 0, cmdSn, expStatSn));
        IscsiPdu answer = receive();
        try {
            if (!(answer instanceof LogoutResponse r) || r.initiatorTaskTag() != itt || r.response() != 0) {
                throw new IOException("expected a Logout Response 'closed successfully', got " + answer);
            }
        } finally {
            answer.release();
        }
    }

    private void send(IscsiPdu pdu) throws IOException {
        encoder.writeOutbound(pdu);
        ByteBuf bytes;
        while ((bytes = encoder.readOutbound()) != null) {
            try {
                bytes.readBytes(out, bytes.readableBytes());
            } finally {
                bytes.release();
            }
        }
        out.flush();
    }

    /** The next PDU (the caller releases it); an IOException when the target closes or sends something broken. */
    private IscsiPdu receive() throws IOException {
        while (true) {
            Object next = decoder.readInbound();
            if (next instanceof IscsiPdu pdu) {
                return pdu;
            }
            if (next instanceof InvalidPdu bad) {
                throw new IOException("the target sent a PDU this initiator cannot decode: " + bad);
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("the target closed the connection");
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
        }
    }

    @Override
    public void close() throws IOException {
        try {
            socket.close();
        } finally {
            encoder.finishAndReleaseAll();
            decoder.finishAndReleaseAll();
        }
    }
}
