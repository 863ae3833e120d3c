package org.tandem.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.codec.IscsiFrameDecoder;
import org.tandem.iscsi.codec.IscsiPduEncoder;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.text.TextFormatException;
import org.tandem.iscsi.text.TextParameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately small initiator on a plain socket, using Tandem's own codec, for what real initiators never
 * send: malformed PDUs after a correct login, and the like. One connection, blocking, bounded by timeouts.
 */
final class TestInitiator implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameSettings settings = new FrameSettings();
    private final EmbeddedChannel decoder = new EmbeddedChannel(new IscsiFrameDecoder(settings, false));
    private int cmdSn = 1;
    private int expStatSn;

    TestInitiator(int port) throws IOException {
        this("127.0.0.1", port);
    }

    TestInitiator(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 2000);
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        settings.maxRecvDataSegmentLength(1 << 20);
    }

    /** Logs in to a normal session without authentication and returns the final Login Response. */
    LoginResponse login(String target) throws IOException {
        return login(target, 0x400000000001L);
    }

    /** Logs in to the fixture's target with another ISID: another I_T nexus of the same initiator. */
    LoginResponse loginAs(long isid) throws IOException {
        return login(TargetFixture.TARGET, isid);
    }

    /** Logs in to a target with this ISID (one I_T nexus of this initiator). */
    LoginResponse login(String target, long isid) throws IOException {
        String text = "InitiatorName=iqn.2026-11.org.tandem.test:raw\0TargetName=" + target
                + "\0SessionType=Normal\0AuthMethod=None\0";
        send(new LoginRequest(true, false, LoginStage.SECURITY_NEGOTIATION, LoginStage.FULL_FEATURE_PHASE, 0, 0,
                isid, 0, 1, 0, cmdSn, 0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        LoginResponse r = (LoginResponse) receive();
        r.release();
        expStatSn = r.statSn() + 1;
        return r;
    }

    /** Sends one Login Request built by the test and returns the answer (null if the connection closed). */
    LoginResponse loginStep(boolean transit, LoginStage current, LoginStage next, int versionMin, long isid,
                            int tsih, String text) throws IOException {
        return loginStep(transit, current, next, versionMin, isid, tsih, 0, text);
    }

    /** As above, with the connection's CID (for a connection added to a session). */
    LoginResponse loginStep(boolean transit, LoginStage current, LoginStage next, int versionMin, long isid,
                            int tsih, int cid, String text) throws IOException {
        send(new LoginRequest(transit, false, current, next, Math.max(versionMin, 0), versionMin, isid, tsih, 1, cid,
                cmdSn, 0, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        Object r = receive();
        if (r instanceof LoginResponse l) {
            l.release();
            expStatSn = l.statSn() + 1;
            return l;
        }
        return null;
    }

    /** A Login Response (its data segment already released) and the keys its text carried, in their order. */
    record LoginAnswer(LoginResponse response, Map<String, String> keys) {
    }

    /**
     * Sends one Login Request (ITT 1, CID 0, TSIH 0, version 0) with the test's text and returns the response with
     * its keys decoded, or null when the connection closed first. For logins of several steps, such as CHAP.
     */
    LoginAnswer loginKeys(boolean transit, LoginStage current, LoginStage next, long isid, String text)
            throws IOException {
        send(new LoginRequest(transit, false, current, next, 0, 0, isid, 0, 1, 0, cmdSn, 0,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        Object r = receive();
        if (!(r instanceof LoginResponse l)) {
            if (r instanceof IscsiPdu p) {
                p.release();
                throw new IOException("expected a Login Response, got " + p.getClass().getSimpleName());
            }
            return null;
        }
        try {
            Map<String, String> keys = new LinkedHashMap<>();
            TextParameters.parse(l.data()).pairs().forEach(e -> keys.put(e.getKey(), e.getValue()));
            expStatSn = l.statSn() + 1;
            return new LoginAnswer(l, keys);
        } catch (TextFormatException e) {
            throw new IOException("Login Response text: " + e.getMessage(), e);
        } finally {
            l.release();
        }
    }

    /** What a read command returned: its status, the data, and the data segment length of each Data-In PDU. */
    record ReadResult(int status, byte[] data, List<Integer> segmentLengths) {
    }

    /**
     * Sends a non-immediate read command (LUN 0) expecting {@code length} bytes and collects its Data-In PDUs and
     * status (in the last Data-In or a SCSI Response). Any other PDU fails the read.
     */
    ReadResult read(byte[] cdb, int itt, int commandSn, int length) throws IOException {
        send(new ScsiCommand(false, true, true, false, ScsiTaskAttribute.SIMPLE, 0, itt, length, commandSn,
                expStatSn, cdb, -1, Unpooled.EMPTY_BUFFER));
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<Integer> segments = new ArrayList<>();
        while (true) {
            Object r = receive();
            try {
                if (r instanceof DataIn d && d.initiatorTaskTag() == itt) {
                    segments.add(d.data().readableBytes());
                    byte[] chunk = new byte[d.data().readableBytes()];
                    d.data().readBytes(chunk);
                    data.write(chunk);
                    if (d.statusPresent()) {
                        expStatSn = d.statSn() + 1;
                        return new ReadResult(d.status(), data.toByteArray(), segments);
                    }
                } else if (r instanceof ScsiResponse s && s.initiatorTaskTag() == itt) {
                    expStatSn = s.statSn() + 1;
                    return new ReadResult(s.status(), data.toByteArray(), segments);
                } else {
                    throw new IOException("while reading ITT " + itt + ": "
                            + (r == null ? "the target closed the connection" : r));
                }
            } finally {
                if (r instanceof IscsiPdu p) {
                    p.release();
                }
            }
        }
    }

    /** Sends a non-immediate write command (LUN 0) announcing {@code length} bytes, none sent with it. */
    void write(byte[] cdb, int itt, int commandSn, int length) throws IOException {
        send(new ScsiCommand(false, true, false, true, ScsiTaskAttribute.SIMPLE, 0, itt, length, commandSn,
                expStatSn, cdb, -1, Unpooled.EMPTY_BUFFER));
    }

    /** Sends a non-immediate SCSI command without data (LUN 0) with the CmdSN the test chooses. */
    void command(byte[] cdb, int itt, int commandSn) throws IOException {
        send(new ScsiCommand(false, true, false, false, ScsiTaskAttribute.SIMPLE, 0, itt, 0, commandSn, expStatSn,
                cdb, -1, Unpooled.EMPTY_BUFFER));
    }

    /** Sends a non-immediate write (LUN 0) with all its data as immediate data, and the CmdSN the test chooses. */
    void write(byte[] cdb, int itt, int commandSn, byte[] data) throws IOException {
        send(new ScsiCommand(false, true, false, true, ScsiTaskAttribute.SIMPLE, 0, itt, data.length, commandSn,
                expStatSn, cdb, -1, Unpooled.wrappedBuffer(data)));
    }

    /**
     * The next PDU from the target if one comes within {@code millis}, else null: for checking that the target
     * stays silent. The usual timeout applies again afterwards.
     */
    Object receiveWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            return receive();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(5000);
        }
    }

    void send(IscsiPdu pdu) throws IOException {
        EmbeddedChannel enc = new EmbeddedChannel(new IscsiPduEncoder(settings));
        enc.writeOutbound(pdu);
        ByteBuf b;
        while ((b = enc.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.write(bytes);
        }
        out.flush();
        enc.finishAndReleaseAll();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next PDU from the target, or null when the connection closed first. */
    Object receive() throws IOException {
        byte[] buf = new byte[65536];
        while (true) {
            Object pdu = decoder.readInbound();
            if (pdu != null) {
                return pdu;
            }
            int n = in.read(buf);
            if (n < 0) {
                return null;
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        }
    }

    /** Pings the target with a NOP-Out and returns its NOP-In. */
    NopIn ping(int itt) throws IOException {
        send(new NopOut(true, 0, itt, Bhs.RESERVED_TAG, cmdSn, expStatSn,
                Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII)));
        Object r = receive();
        if (r instanceof IscsiPdu p) {
            p.release();
        }
        return r instanceof NopIn n ? n : null;
    }

    /** Answers a target's ping (a NOP-In with a Target Transfer Tag) as RFC 7143 section 11.18 asks. */
    void answer(NopIn ping) throws IOException {
        send(new NopOut(true, 0, Bhs.RESERVED_TAG, ping.targetTransferTag(), cmdSn, expStatSn,
                Unpooled.EMPTY_BUFFER));
    }

    /**
     * From now on reads and discards whatever the target sends, on a daemon thread, so a test can send without
     * waiting for answers. The returned thread ends when the target closes the connection.
     */
    Thread drainInBackground() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65536];
            try {
                while (in.read(buf) >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // closed or reset: the thread ends, which is what the caller watches
            }
        }, "test-initiator-drain");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** True when the target closed the connection (read returns end of stream) within the socket timeout. */
    boolean closedByTarget() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        decoder.finishAndReleaseAll();
    }
}
