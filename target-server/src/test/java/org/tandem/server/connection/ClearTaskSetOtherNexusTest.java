package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.sam.LunAddress;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.server.connection.NexusBench.clearUnitAttentions;
import static org.tandem.server.connection.NexusBench.exchange;
import static org.tandem.server.connection.NexusBench.sent;
import static org.tandem.server.connection.NexusBench.testUnitReady;

/**
 * CLEAR TASK SET aborts the tasks of every I_T nexus on the logical unit (one task set, TST 0). The Control mode
 * page reports TAS 0, so an aborted task of another nexus gets no response; SAM-5 (section 5.6, aborting tasks) then
 * has the device server tell that nexus by a unit attention, COMMANDS CLEARED BY ANOTHER INITIATOR (2Fh/00h).
 * Without it the other initiator learns of its lost command only when its command timer expires.
 */
class ClearTaskSetOtherNexusTest {
    private static final long ISID = 0x23d000000051L;

    @TempDir
    Path dir;
    private NexusBench bench;

    @BeforeEach
    void start() throws Exception {
        bench = new NexusBench(dir);
    }

    @AfterEach
    void stop() {
        bench.close();
    }

    @Test
    void anotherNexusWhoseWriteWasClearedGetsCommandsClearedByAnotherInitiator() {
        EmbeddedChannel clearing = bench.login("iqn.2026-11.org.tandem.test:a", ISID);
        EmbeddedChannel other = bench.login("iqn.2026-11.org.tandem.test:b", ISID);
        clearUnitAttentions(clearing);
        clearUnitAttentions(other);
        byte[] cdb = new byte[16];
        cdb[0] = 0x2a; // WRITE (10), one block, waiting for the R2T's data
        cdb[8] = 1;
        List<IscsiPdu> r2t = exchange(other, new ScsiCommand(true, true, false, true, ScsiTaskAttribute.SIMPLE, 0, 0x9,
                512, 1, 0, cdb, -1, Unpooled.EMPTY_BUFFER));
        assertThat(r2t).hasSize(1).first().isInstanceOf(ReadyToTransfer.class);
        r2t.forEach(IscsiPdu::release);

        clearing.writeInbound(new TaskManagementRequest(true, TaskManagementRequest.CLEAR_TASK_SET,
                LunAddress.of(0).field(), 0x71, Bhs.RESERVED_TAG, 1, 0, 0, 0));
        other.runPendingTasks(); // the abort runs on the other connection's loop
        List<IscsiPdu> answer = sent(clearing);
        assertThat(answer).hasSize(1).first().isInstanceOf(TaskManagementResponse.class);
        assertThat(((TaskManagementResponse) answer.get(0)).response())
                .isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        answer.forEach(IscsiPdu::release);

        assertThat(testUnitReady(other)).as("COMMANDS CLEARED BY ANOTHER INITIATOR").isEqualTo("6/2f/00");
        assertThat(testUnitReady(clearing)).as("not for the nexus that cleared").isEqualTo("GOOD");
    }
}
