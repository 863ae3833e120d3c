package org.tandem.e2e;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.NopIn;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * Resource exhaustion through a held command (OrderedReceiver.Held.attach): Data-Out kept for a command waiting
 * for its CmdSN turn is bounded by FirstBurstLength in data bytes only, so zero-length Data-Out PDUs are kept
 * without limit for as long as the gap stays open (for ever, if the initiator never fills it).
 */
class DataOutFloodAttackE2ETest {
    private static final String KEYS = "InitiatorName=iqn.2026-11.org.tandem.test:flood\0TargetName="
            + TargetFixture.TARGET + "\0AuthMethod=None\0InitialR2T=No\0";

    @TempDir
    Path dir;


    @Test
    void zeroLengthDataOutForAHeldCommandDoesNotGrowTheHeapWithoutBound() throws Exception {
        try (TargetFixture t = TargetFixture.simple(dir, "InitialR2T No");
             TestInitiator i = new TestInitiator(t.port())) {
            LoginResponse l = i.loginStep(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, 0, 0x400000000042L, 0,
                    KEYS);
            assertThat(l.statusClass()).isZero();
            int n = l.expCmdSn();
            byte[] cdb = new byte[16];
            cdb[0] = 0x2a;
            cdb[8] = 2;
            // a two-block WRITE at n+1, one block immediate: held behind CmdSN n, which never comes
            i.send(new ScsiCommand(false, false, false, true, ScsiTaskAttribute.SIMPLE, 0, 0xb, 1024, n + 1, 0, cdb,
                    -1, Unpooled.wrappedBuffer(new byte[512])));
            NopIn first = i.ping(0x1);
            assertThat(first).isNotNull();
            long before = Tools.usedHeap();

            int perBatch = 10_000;
            int batches = 40;
            ByteBuffer batch = ByteBuffer.allocate(48 * perBatch);
            for (int b = 0; b < batches; b++) {
                batch.clear();
                for (int k = 0; k < perBatch; k++) {
                    byte[] bhs = new byte[48];
                    ByteBuffer h = ByteBuffer.wrap(bhs);
                    h.put(0, (byte) 0x05);               // Data-Out, F=0, DataSegmentLength 0
                    h.putInt(16, 0xb);                   // ITT of the held write
                    h.putInt(20, 0xffffffff);            // TTT: unsolicited
                    h.putInt(36, b * perBatch + k);      // DataSN
                    h.putInt(40, 512);                   // Buffer Offset
                    batch.put(bhs);
                }
                i.sendRaw(Arrays.copyOf(batch.array(), batch.position()));
            }
            NopIn after = i.ping(0x2); // answered after every Data-Out before it was taken
            assertThat(after).as("connection alive after %d Data-Out PDUs", perBatch * batches).isNotNull();
            long growth = Tools.usedHeap() - before;
            System.out.printf("zero-length Data-Out flood: %d PDUs (%d bytes on the wire) held the heap %+d bytes%n",
                    perBatch * batches, 48L * perBatch * batches, growth);
            assertThat(growth).as("heap growth from %d zero-length Data-Out PDUs for one held command",
                    perBatch * batches).isLessThan(8L * 1024 * 1024);
        }
    }
}
