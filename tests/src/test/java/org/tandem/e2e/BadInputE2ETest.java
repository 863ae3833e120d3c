package org.tandem.e2e;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.Reject;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.SnackRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Garbage, truncated, oversized and out-of-place PDUs, and hundreds of half-open logins: each gets a clear answer
 * (a Reject, a closed connection), and afterwards the server still serves and the data is intact.
 */
class BadInputE2ETest {
    @TempDir
    Path dir;

    @Test
    void abuseLeavesTheServerRunningAndTheDataIntact() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir)) {
            boolean qemu = Tools.has("qemu-io");
            if (qemu) {
                Tools.Result w = Tools.run(60, "qemu-io", "-f", "raw", "-c", "write -P 0x6b 1M 4M", t.url(0));
                assertThat(w.ok()).as(w.output()).isTrue();
            }

            // 1. Random bytes instead of a login: the connection is closed.
            try (TestInitiator raw = new TestInitiator(t.port())) {
                byte[] junk = new byte[4096];
                new Random(7).nextBytes(junk);
                junk[0] = 0x01; // a SCSI Command where a Login Request must come
                raw.sendRaw(junk);
                assertRefusedThenClosed(raw);
            }

            // 2. A truncated header, then the initiator goes away.
            try (TestInitiator raw = new TestInitiator(t.port())) {
                raw.sendRaw(new byte[30]);
            }

            // 3. A login header that announces a 16 MiB data segment: refused before anything is buffered.
            try (TestInitiator raw = new TestInitiator(t.port())) {
                byte[] header = new byte[48];
                header[0] = 0x43;
                header[5] = (byte) 0xff;
                header[6] = (byte) 0xff;
                header[7] = (byte) 0xff;
                raw.sendRaw(header);
                assertRefusedThenClosed(raw);
            }

            // 4. Hundreds of half-open logins held open while a real session works.
            List<Socket> halfOpen = new ArrayList<>();
            try {
                for (int i = 0; i < 300; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", t.port()), 2000);
                    if (i % 2 == 0) {
                        OutputStream o = s.getOutputStream();
                        o.write(new byte[] {0x43, (byte) 0x87, 0, 0, 0, 0, 0, 64}); // a login header, cut short
                        o.flush();
                    }
                    halfOpen.add(s);
                }
                try (TestInitiator ok = new TestInitiator(t.port())) {
                    LoginResponse r = ok.login(TargetFixture.TARGET);
                    assertThat(r.statusClass()).isZero();
                    assertThat(ok.ping(77)).isNotNull();
                }
            } finally {
                for (Socket s : halfOpen) {
                    s.close();
                }
            }

            // 5. After login: an undefined opcode and a SNACK are rejected, the session lives on.
            try (TestInitiator session = new TestInitiator(t.port())) {
                assertThat(session.login(TargetFixture.TARGET).statusClass()).isZero();
                byte[] vendor = new byte[48];
                vendor[0] = 0x1c; // a vendor-specific initiator opcode: nothing Tandem knows
                session.sendRaw(vendor);
                Reject reject = (Reject) session.receive();
                assertThat(reject.reason()).isEqualTo(RejectReason.COMMAND_NOT_SUPPORTED);
                assertThat(reject.data().getByte(0)).isEqualTo((byte) 0x1c);
                reject.release();
                session.send(new SnackRequest(0, 0, 5, Bhs.RESERVED_TAG, 1, 0, 0));
                Reject snack = (Reject) session.receive();
                assertThat(snack.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
                snack.release();
                // Data-Out for a task that does not exist is dropped without an answer.
                session.send(new DataOut(true, 0, 0x1234, Bhs.RESERVED_TAG, 1, 0, 0,
                        Unpooled.wrappedBuffer(new byte[512])));
                NopIn pong = session.ping(99);
                assertThat(pong).isNotNull();
                assertThat(pong.initiatorTaskTag()).isEqualTo(99);
            }

            // 6. After login: a data segment beyond MaxRecvDataSegmentLength ends the connection with a Reject.
            try (TestInitiator session = new TestInitiator(t.port())) {
                session.login(TargetFixture.TARGET);
                byte[] header = new byte[48];
                header[0] = 0x40; // immediate NOP-Out
                header[1] = (byte) 0x80;
                header[5] = 0x7f; // 8 MiB announced
                session.sendRaw(header);
                Reject reject = (Reject) session.receive();
                assertThat(reject.reason()).isEqualTo(RejectReason.PROTOCOL_ERROR);
                reject.release();
                assertThat(session.closedByTarget()).isTrue();
            }

            // The server still serves, and the data written first is intact.
            try (TestInitiator ok = new TestInitiator(t.port())) {
                assertThat(ok.login(TargetFixture.TARGET).statusClass()).isZero();
            }
            if (qemu) {
                Tools.Result r = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read -P 0x6b 1M 4M", t.url(0));
                assertThat(r.ok() && !r.output().contains("Pattern verification failed")).as(r.output()).isTrue();
            }
        }
    }

    @Test
    void aLoginToAnUnknownTargetGetsTargetNotFound() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir);
             TestInitiator raw = new TestInitiator(t.port())) {
            LoginResponse r = raw.login("iqn.2026-11.org.nowhere:missing");
            assertThat(r.statusClass()).isEqualTo(0x02);
            assertThat(r.statusDetail()).isEqualTo(0x03);
            assertThat(raw.closedByTarget()).isTrue();
        }
    }

    /** Bad input during login gets a Login Response with an initiator-error status (RFC 7143 section 11.13.5). */
    private static void assertRefusedThenClosed(TestInitiator raw) throws IOException {
        Object answer = raw.receive();
        assertThat(answer).isInstanceOf(LoginResponse.class);
        assertThat(((LoginResponse) answer).statusClass()).as("status class").isEqualTo(2);
        assertThat(raw.closedByTarget()).isTrue();
    }
}
