package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.scsi.sam.ItNexus;
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
 * Several I_T nexuses on one logical unit, for the tests where what one initiator does reaches another: a target
 * with one nullio LUN of 2048 blocks, sessions registered in the catalog as a login registers them, one
 * EmbeddedChannel connection each (InitialR2T=Yes, ImmediateData=Yes), and readers for the answers.
 */
final class NexusBench implements AutoCloseable {
    static final String TARGET = "iqn.2026-11.org.tandem.test:nexus";
    /** How many unit attentions a new I_T nexus may have queued before TEST UNIT READY answers GOOD. */
    private static final int MAX_UNIT_ATTENTIONS = 8;

    final TargetCatalog catalog;
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private int tsih = 1;

    NexusBench(Path dir) throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TARGET + "\n    Lun 0 Type=nullio,Blocks=2048\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
    }

    /**
     * A new session of {@code initiator}/{@code isid} with one connection, registered as a login does: a session of
     * the same initiator port is reinstated in the registry, but its connection stays open until the test closes it,
     * as a real one closes later on its own event loop.
     */
    EmbeddedChannel login(String initiator, long isid) {
        SessionParameters p = new SessionParameters(false, initiator, null, TARGET, false, false, 1, true, true,
                65536, 65536, 262144, 65536, 2, 20, 1, 0);
        Session s = new Session(initiator, isid, tsih++, catalog.target(TARGET), p,
                new ItNexus(Session.initiatorPortName(initiator, isid), TARGET + ",t,0x0001"),
                new CommandWindow(1, 16));
        catalog.sessions().register(s);
        EmbeddedChannel ch = new EmbeddedChannel(new FullFeatureHandler(s, p, catalog, 0, 1, 0, 0));
        channels.add(ch);
        return ch;
    }

    /** Hands a PDU to the connection and returns what it sent, after running what waits on its event loop. */
    static List<IscsiPdu> exchange(EmbeddedChannel ch, IscsiPdu pdu) {
        ch.writeInbound(pdu);
        return sent(ch);
    }

    /** What the connection sent so far, after running what waits on its event loop; the caller releases it. */
    static List<IscsiPdu> sent(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<IscsiPdu> out = new ArrayList<>();
        IscsiPdu p;
        while ((p = ch.readOutbound()) != null) {
            out.add(p);
        }
        return out;
    }

    /**
     * An immediate command's answer: "GOOD", the sense key/ASC/ASCQ of a CHECK CONDITION ("6/29/00"), or the
     * status in hex ("18" for RESERVATION CONFLICT). Releases what was sent.
     */
    static String command(EmbeddedChannel ch, int itt, byte[] cdb, int readLength) {
        List<IscsiPdu> out = exchange(ch, new ScsiCommand(true, true, readLength > 0, false, ScsiTaskAttribute.SIMPLE,
                0, itt, readLength, 1, 0, cdb, -1, Unpooled.EMPTY_BUFFER));
        String answer = null;
        try {
            for (IscsiPdu p : out) {
                if (p instanceof ScsiResponse r) {
                    // The data segment is SenseLength (2 bytes), then fixed-format sense data (SPC-5 4.4.3).
                    answer = r.status() == 0 ? "GOOD" : r.status() != 0x02 ? Integer.toHexString(r.status())
                            : String.format("%x/%02x/%02x", r.data().getByte(4) & 0x0f, r.data().getByte(14) & 0xff,
                            r.data().getByte(15) & 0xff);
                } else if (p instanceof DataIn d && d.statusPresent()) {
                    answer = d.status() == 0 ? "GOOD" : Integer.toHexString(d.status());
                }
            }
        } finally {
            out.forEach(IscsiPdu::release);
        }
        assertThat(answer).as("a status for ITT %s", itt).isNotNull();
        return answer;
    }

    static String testUnitReady(EmbeddedChannel ch) {
        return command(ch, 0x33, new byte[16], 0);
    }

    /** Takes the unit attentions every new I_T nexus has (power on, reset) until TEST UNIT READY is GOOD. */
    static void clearUnitAttentions(EmbeddedChannel ch) {
        for (int i = 0; i < MAX_UNIT_ATTENTIONS; i++) {
            if (testUnitReady(ch).equals("GOOD")) {
                return;
            }
        }
        throw new AssertionError("TEST UNIT READY not GOOD after " + MAX_UNIT_ATTENTIONS + " unit attentions");
    }

    @Override
    public void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        catalog.close();
    }
}
