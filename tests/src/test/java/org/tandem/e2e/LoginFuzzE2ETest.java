package org.tandem.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged Login Requests by the ten thousand: lengths that disagree with the bytes sent, flags and stages at
 * random, text cut short or full of junk, connections dropped at every point of a login (half-closed, reset, or
 * left for the target to close). The target must answer or close each connection, keep serving, and lose no
 * buffer: Netty's leak detector runs at PARANOID and any report fails the test.
 *
 * <p>Seeded ({@code -Dtandem.fuzz.seed}); bounded by {@code -Dtandem.fuzz.loginPdus} (default 20,000 for CI;
 * the long run sends a million) and by time.
 */
class LoginFuzzE2ETest {
    private static final String INITIATOR = "iqn.2026-11.org.tandem.test:fuzz";

    @TempDir
    Path dir;

    @Test
    void theLeakWatchReportsALostBuffer() throws Exception {
        try (LeakReports leaks = LeakReports.watch()) {
            loseABuffer();
            assertThat(leaks.collect()).as("a buffer dropped without release() must be reported").isNotEmpty();
        }
    }

    private static void loseABuffer() {
        ByteBuf lost = ByteBufAllocator.DEFAULT.directBuffer(128);
        lost.writeLong(42);
    }

    @Test
    void damagedLoginsLeaveTheServerServingAndNoBufferLeaked() throws Exception {
        long seed = Long.getLong("tandem.fuzz.seed", 20261129L);
        int budget = Integer.getInteger("tandem.fuzz.loginPdus", 20_000);
        long timeLimitNanos = Math.max(60L, budget / 1000L) * 1_000_000_000L;
        Random random = new Random(seed);
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.simple(dir, "IncomingUser joe secretsecret12")) {
            long deadline = System.nanoTime() + timeLimitNanos;
            int sent = 0;
            int connections = 0;
            int answered = 0;
            while (sent < budget && System.nanoTime() < deadline) {
                int pdus = 1 + random.nextInt(6);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", t.port()), 2000);
                    s.setSoTimeout(20);
                    OutputStream out = s.getOutputStream();
                    ByteBuffer burst = ByteBuffer.allocate(pdus * 9000);
                    for (int i = 0; i < pdus; i++) {
                        burst.put(damagedLoginRequest(random, i));
                    }
                    out.write(burst.array(), 0, burst.position());
                    out.flush();
                    sent += pdus;
                    connections++;
                    switch (random.nextInt(3)) {
                        case 0 -> s.setSoLinger(true, 0); // reset on close: the target sees a connection reset
                        case 1 -> s.shutdownOutput(); // end of stream in the middle of the login
                        default -> {
                            if (readSomething(s.getInputStream())) {
                                answered++;
                            }
                        }
                    }
                } catch (IOException e) {
                    // the target closed first: expected for most damaged inputs
                }
            }
            assertThat(sent).as("PDUs sent (seed " + seed + ")").isGreaterThanOrEqualTo(Math.min(budget, 5000));
            try (TestInitiator after = new TestInitiator(t.port())) {
                // CHAP is required, so a login without it is refused with a Login Response: the server answers.
                assertThat(after.login(TargetFixture.TARGET).statusClass()).as("seed " + seed).isEqualTo(2);
            }
            List<String> reports = leaks.collect();
            System.out.printf("login fuzz: %d damaged Login Requests over %d connections (%d answered before"
                    + " close), seed %d, %d leak report(s)%n", sent, connections, answered, seed, reports.size());
            assertThat(reports).as("Netty leak reports (seed " + seed + ")").isEmpty();
        }
    }

    /** Reads until the target has said something or closed, within the socket timeout. */
    private static boolean readSomething(InputStream in) throws IOException {
        try {
            return in.read(new byte[4096]) > 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    /**
     * A Login Request that starts out right (the PDU a real initiator sends at step {@code step}) and is then
     * damaged in one or two ways.
     */
    private static byte[] damagedLoginRequest(Random r, int step) {
        String text = switch (step % 3) {
            case 0 -> "InitiatorName=" + INITIATOR + "\0TargetName=" + TargetFixture.TARGET
                    + "\0SessionType=Normal\0AuthMethod=CHAP,None\0";
            case 1 -> "CHAP_A=" + (r.nextBoolean() ? "5" : "7,5,0x05") + "\0";
            default -> "CHAP_N=joe\0CHAP_R=0x" + "ab".repeat(1 + r.nextInt(40)) + "\0MaxRecvDataSegmentLength=262144\0";
        };
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        if (r.nextInt(4) == 0) {
            data = junk(r, data);
        }
        int length = data.length;
        switch (r.nextInt(5)) {
            case 0 -> length = 0;                                   // says no data, sends some
            case 1 -> length = Math.max(0, length + r.nextInt(9) - 4); // off by a few bytes
            case 2 -> length = r.nextInt(9000);                     // anything up to past the 8 KiB login limit
            default -> {
            }
        }
        byte[] header = new byte[48];
        header[0] = 0x43;
        int flags = r.nextInt(3) == 0 ? r.nextInt(256) : 0x80 | (step == 0 ? 0x01 : 0x05); // T, CSG/NSG
        header[1] = (byte) flags;
        header[2] = 0;
        header[3] = (byte) (r.nextInt(8) == 0 ? r.nextInt(256) : 0);
        header[4] = (byte) (r.nextInt(10) == 0 ? 1 + r.nextInt(3) : 0);  // TotalAHSLength in words
        header[5] = (byte) (length >>> 16);
        header[6] = (byte) (length >>> 8);
        header[7] = (byte) length;
        header[8] = 0x23;                                                   // ISID
        header[13] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 1);
        if (r.nextInt(6) == 0) {
            header[14] = (byte) r.nextInt(256);                             // TSIH: join a session that is not
            header[15] = (byte) r.nextInt(256);
        }
        header[19] = 1;                                                     // ITT
        header[27] = 1;                                                     // CmdSN
        int ahsBytes = (header[4] & 0xff) * 4;
        int padded = (data.length + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(48 + ahsBytes + padded);
        b.put(header);
        b.put(new byte[ahsBytes]);
        b.put(data);
        return b.array();
    }

    private static byte[] junk(Random r, byte[] data) {
        byte[] d = data.clone();
        for (int i = 0; i < 1 + r.nextInt(6); i++) {
            d[r.nextInt(d.length)] = (byte) r.nextInt(256);
        }
        return r.nextBoolean() ? d : java.util.Arrays.copyOf(d, r.nextInt(d.length + 1));
    }
}
