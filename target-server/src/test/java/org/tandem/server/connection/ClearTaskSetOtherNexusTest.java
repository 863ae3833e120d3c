package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CLEAR TASK SET aborts the tasks of every I_T nexus on the logical unit (one task set, TST 0). The Control mode
 * page reports TAS 0, so an aborted task of another nexus gets no response; SAM-5 (section 5.6, aborting tasks) then
 * has the device server tell that nexus by a unit attention, COMMANDS CLEARED BY ANOTHER INITIATOR (2Fh/00h).
 * Without it the other initiator learns of its lost command only when its command timer expires.
 */
class ClearTaskSetOtherNexusTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:clear";
    private static final long ISID = 0x23d000000051L;

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private int tsih = 1;

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        if (catalog != null) {
            catalog.close();
        }
    }

    private EmbeddedChannel login(String initiator) {
        SessionParameters p = new SessionParameters(false, initiator, null, TARGET, false, false, 1, true, true,
                65536, 65536, 262144, 65536, 2, 20, 1, 0);
        Session s = new Session(initiator, ISID, tsih++, catalog.target(TARGET), p,
                new ItNexus(Session.initiatorPortName(initiator, ISID), TARGET + ",t,0x0001"),
                new CommandWindow(1, 16));
        catalog.sessions().register(s);
        EmbeddedChannel ch = new EmbeddedChannel(new FullFeatureHandler(s, p, catalog, 0, 1, 0, 0));
        channels.add(ch);
        return ch;
    }

    private static List<IscsiPdu> exchange(EmbeddedChannel ch, IscsiPdu pdu) {
        ch.writeInbound(pdu);
        ch.runPendingTasks();
        List<IscsiPdu> out = new ArrayList<>();
        IscsiPdu p;
        while ((p = ch.readOutbound()) != null) {
            out.add(p);
        }
        return out;
    }

    /** TEST UNIT READY's answer: "GOOD", or the sense key/ASC/ASCQ of its CHECK CONDITION. */
    private static String testUnitReady(EmbeddedChannel ch) {
        List<IscsiPdu> out = exchange(ch, new ScsiCommand(true, true, false, false, ScsiTaskAttribute.SIMPLE, 0, 0x33,
                0, 1, 0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
        assertThat(out).hasSize(1).first().isInstanceOf(ScsiResponse.class);
        ScsiResponse r = (ScsiResponse) out.get(0);
        try {
            return r.status() == 0 ? "GOOD" : String.format("%x/%02x/%02x", r.data().getByte(4) & 0x0f,
                    r.data().getByte(14) & 0xff, r.data().getByte(15) & 0xff);
        } finally {
            r.release();
        }
    }

    @Test
    void anotherNexusWhoseWriteWasClearedGetsCommandsClearedByAnotherInitiator() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TARGET + "\n    Lun 0 Type=nullio,Blocks=2048\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        EmbeddedChannel clearing = login("iqn.2026-11.org.tandem.test:a");
        EmbeddedChannel other = login("iqn.2026-11.org.tandem.test:b");
        while (!testUnitReady(clearing).equals("GOOD")) {
            // the unit attentions of a new I_T nexus
        }
        while (!testUnitReady(other).equals("GOOD")) {
            // the unit attentions of a new I_T nexus
        }
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
        clearing.runPendingTasks();
        List<IscsiPdu> answer = new ArrayList<>();
        IscsiPdu p;
        while ((p = clearing.readOutbound()) != null) {
            answer.add(p);
        }
        assertThat(answer).hasSize(1).first().isInstanceOf(TaskManagementResponse.class);
        assertThat(((TaskManagementResponse) answer.get(0)).response())
                .isEqualTo(TaskManagementResponse.FUNCTION_COMPLETE);
        answer.forEach(IscsiPdu::release);

        assertThat(testUnitReady(other)).as("COMMANDS CLEARED BY ANOTHER INITIATOR").isEqualTo("6/2f/00");
    }
}
