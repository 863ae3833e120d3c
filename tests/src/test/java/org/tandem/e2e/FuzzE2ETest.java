package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random but well-framed PDUs of every initiator opcode, from logged-in sessions: whatever the fields say, the
 * server answers or closes that one connection, keeps serving, and never touches another target's data.
 * Seeded (the seed is in the failure message), bounded in count ({@code -Dtandem.fuzz.pdus}, 6,000 by default) and
 * time; any Netty leak report fails it.
 */
class FuzzE2ETest {
    private static final int[] OPCODES = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x1c, 0x3f};

    @TempDir
    Path dir;

    @Test
    void randomPdusLeaveTheServerServingAndOtherDataIntact() throws Exception {
        long seed = Long.getLong("tandem.fuzz.seed", 20261125L);
        int budget = Integer.getInteger("tandem.fuzz.pdus", 6000);
        long timeLimitNanos = Math.max(60L, budget / 1000L) * 1_000_000_000L;
        Random random = new Random(seed);
        try (LeakReports leaks = LeakReports.watch();
             TargetFixture t = TargetFixture.start(dir, """
                Target iqn.2026-11.org.tandem.test:disk
                    Lun 0 Path=fuzzed.img,Type=fileio,IOMode=wb
                Target iqn.2026-11.org.tandem.test:bystander
                    Lun 0 Path=kept.img,Type=fileio,IOMode=wb
                """, "fuzzed.img", "kept.img")) {
            String bystander = t.portal() + "/iqn.2026-11.org.tandem.test:bystander/0";
            boolean qemu = Tools.has("qemu-io");
            if (qemu) {
                assertThat(Tools.run(60, "qemu-io", "-f", "raw", "-c", "write -P 0x42 0 8M", bystander).ok()).isTrue();
            }
            long deadline = System.nanoTime() + timeLimitNanos;
            int sent = 0;
            int connections = 0;
            while (sent < budget && System.nanoTime() < deadline) {
                try (TestInitiator session = new TestInitiator(t.port())) {
                    assertThat(session.login(TargetFixture.TARGET).statusClass()).as("seed " + seed).isZero();
                    connections++;
                    Thread drain = session.drainInBackground();
                    for (int i = 0; i < 500 && sent < budget && drain.isAlive(); i++, sent++) {
                        session.sendRaw(randomPdu(random));
                    }
                } catch (IOException e) {
                    // the target closed this connection mid-stream: expected for some inputs; open another
                }
            }
            assertThat(sent).as("PDUs sent (seed " + seed + ")").isGreaterThan(1000);
            try (TestInitiator after = new TestInitiator(t.port())) {
                assertThat(after.login(TargetFixture.TARGET).statusClass()).as("seed " + seed).isZero();
                assertThat(after.ping(1)).isNotNull();
            }
            if (qemu) {
                Tools.Result r = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read -P 0x42 0 8M", bystander);
                assertThat(r.ok() && !r.output().contains("Pattern verification failed"))
                        .as("bystander data after fuzzing (seed " + seed + "): " + r.output()).isTrue();
            }
            List<String> reports = leaks.collect();
            System.out.println("fuzz: " + sent + " PDUs over " + connections + " connections, seed " + seed + ", "
                    + reports.size() + " leak report(s)");
            assertThat(reports).as("Netty leak reports (seed " + seed + ")").isEmpty();
        }
    }

    /** A PDU with a random opcode and fields, a consistent length, sometimes an AHS, small random data. */
    private static byte[] randomPdu(Random r) {
        int ahsWords = r.nextInt(8) == 0 ? 1 + r.nextInt(3) : 0;
        int dataLength = r.nextInt(4) == 0 ? r.nextInt(700) : 0;
        int padded = (dataLength + 3) & ~3;
        ByteBuffer b = ByteBuffer.allocate(48 + ahsWords * 4 + padded);
        byte[] header = new byte[48];
        r.nextBytes(header);
        header[0] = (byte) (OPCODES[r.nextInt(OPCODES.length)] | (r.nextBoolean() ? 0x40 : 0));
        header[4] = (byte) ahsWords;
        header[5] = (byte) (dataLength >>> 16);
        header[6] = (byte) (dataLength >>> 8);
        header[7] = (byte) dataLength;
        if (r.nextBoolean()) {
            header[8] = 0; // LUN 0 often, so commands reach a real logical unit
            header[9] = 0;
        }
        b.put(header);
        byte[] rest = new byte[ahsWords * 4 + padded];
        r.nextBytes(rest);
        b.put(rest);
        return b.array();
    }
}
