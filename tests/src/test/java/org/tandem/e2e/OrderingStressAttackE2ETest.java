package org.tandem.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.ScsiResponse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.e2e.OneBlock.cdb;
import static org.tandem.e2e.OneBlock.pattern;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * Races between the event loops of an MC/S session: 20 rounds of a full window (32 writes of one block), CmdSNs
 * shuffled and spread over two connections sent from two threads at once. Every write must reach the disk in CmdSN
 * order: each connection's responses come in CmdSN order, and the block holds the highest CmdSN's pattern.
 */
class OrderingStressAttackE2ETest {
    private static final long ISID = 0x40000000005aL;
    private static final String KEYS = "InitiatorName=iqn.2026-11.org.tandem.test:stress\0TargetName="
            + TargetFixture.TARGET + "\0AuthMethod=None\0";

    @TempDir
    Path dir;



    @Test
    void shuffledWindowsOverTwoConnectionsLandInCmdSnOrder() throws Exception {
        Random random = new Random(77);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (TargetFixture t = TargetFixture.simple(dir, "MaxConnections 2", "Wthreads 1");
             TestInitiator a = new TestInitiator(t.port());
             TestInitiator b = new TestInitiator(t.port())) {
            LoginResponse leading = a.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, 0, 0,
                    KEYS + "MaxConnections=2\0");
            assertThat(leading.statusClass()).isZero();
            assertThat(b.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, ISID, leading.tsih(), 1, KEYS)
                    .statusClass()).isZero();
            int n = leading.expCmdSn();
            a.command(new byte[16], 0x1, n++);
            ((IscsiPdu) a.receive()).release();
            int window = 31; // the last response may advertise less than 32 while one is outstanding
            for (int round = 0; round < 20; round++) {
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < window; k++) {
                    order.add(k);
                }
                Collections.shuffle(order, random);
                List<Integer> onA = new ArrayList<>();
                List<Integer> onB = new ArrayList<>();
                for (int k : order) {
                    (random.nextBoolean() ? onA : onB).add(k);
                }
                final int base = n;
                Future<?> fa = pool.submit(() -> {
                    for (int k : onA) {
                        a.write(cdb(0x2a), 0x1000 + base + k, base + k, pattern(k + 1));
                    }
                    return null;
                });
                Future<?> fb = pool.submit(() -> {
                    for (int k : onB) {
                        b.write(cdb(0x2a), 0x1000 + base + k, base + k, pattern(k + 1));
                    }
                    return null;
                });
                fa.get(10, TimeUnit.SECONDS);
                fb.get(10, TimeUnit.SECONDS);
                List<Integer> gotA = responses(a, onA.size(), base);
                List<Integer> gotB = responses(b, onB.size(), base);
                assertThat(gotA).as("round %d: A's responses in CmdSN order", round).isSorted();
                assertThat(gotB).as("round %d: B's responses in CmdSN order", round).isSorted();
                assertThat(gotA).containsExactlyInAnyOrderElementsOf(onA);
                assertThat(gotB).containsExactlyInAnyOrderElementsOf(onB);
                n += window;
                TestInitiator.ReadResult r = a.read(cdb(0x28), 0x2, n++, 512);
                assertThat(r.data()).as("round %d: the block holds the last CmdSN's pattern", round)
                        .isEqualTo(pattern(window));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The offsets (CmdSN - base) of the next {@code count} SCSI Responses on this connection, in arrival order. */
    private static List<Integer> responses(TestInitiator i, int count, int base) throws Exception {
        List<Integer> got = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Object o = i.receive();
            assertThat(o).isInstanceOf(ScsiResponse.class);
            ScsiResponse r = (ScsiResponse) o;
            r.release();
            assertThat(r.status()).isZero();
            got.add(r.initiatorTaskTag() - 0x1000 - base);
        }
        return got;
    }
}
