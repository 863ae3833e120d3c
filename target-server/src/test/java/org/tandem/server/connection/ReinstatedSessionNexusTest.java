package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
 * Session reinstatement (RFC 7143 section 6.3.5): a login with the ISID of a live session to the same target
 * replaces that session, and the old one's connections close afterwards, each on its own event loop. The new
 * session is the same I_T nexus (same initiator port, same target port). When the old session's last connection
 * finally goes, its I_T nexus loss must not take away what the new session has done meanwhile, such as its SPC-2
 * reservation (SPC-2 section 5.5.1): another initiator would then write to a unit the new session holds reserved.
 */
class ReinstatedSessionNexusTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:reinstate";
    private static final String HOST = "iqn.2026-11.org.tandem.test:host";
    private static final String OTHER_HOST = "iqn.2026-11.org.tandem.test:other";
    private static final long ISID = 0x23d000000042L;
    private static final int GOOD = 0x00;
    private static final int RESERVATION_CONFLICT = 0x18;

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

    /**
     * A session of {@code initiator}/{@code isid} to the target with one connection, registered as a login does. The
     * login then closes the session it reinstates; a real channel closes on its own event loop, later: here the
     * test closes it when it wants.
     */
    private EmbeddedChannel login(String initiator, long isid) {
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

    /** An immediate command's SCSI status. */
    private static int status(EmbeddedChannel ch, int itt, byte[] cdb, int edtl) {
        ch.writeInbound(new ScsiCommand(true, true, edtl > 0, false, ScsiTaskAttribute.SIMPLE, 0, itt, edtl, 1, 0, cdb,
                -1, Unpooled.EMPTY_BUFFER));
        ch.runPendingTasks();
        Integer status = null;
        IscsiPdu p;
        while ((p = ch.readOutbound()) != null) {
            if (p instanceof ScsiResponse r) {
                status = r.status();
            } else if (p instanceof DataIn d && d.statusPresent()) {
                status = d.status();
            }
            p.release();
        }
        assertThat(status).as("a status for ITT %s", itt).isNotNull();
        return status;
    }

    private static int testUnitReady(EmbeddedChannel ch) {
        return status(ch, 0x10, new byte[16], 0);
    }

    private static int reserve6(EmbeddedChannel ch) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x16;
        return status(ch, 0x11, cdb, 0);
    }

    private static int read10(EmbeddedChannel ch) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x28;
        cdb[8] = 1;
        return status(ch, 0x12, cdb, 512);
    }

    @Test
    void theOldSessionsLateEndDoesNotReleaseTheNewSessionsReservation() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TARGET + "\n    Lun 0 Type=nullio,Blocks=2048\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);

        EmbeddedChannel old = login(HOST, ISID);
        EmbeddedChannel reinstating = login(HOST, ISID); // reinstates the old session, whose close is on its way
        EmbeddedChannel other = login(OTHER_HOST, ISID);
        while (testUnitReady(reinstating) != GOOD) {
            // unit attentions of a new I_T nexus
        }
        while (testUnitReady(other) != GOOD) {
            // unit attentions of a new I_T nexus
        }
        assertThat(reserve6(reinstating)).isEqualTo(GOOD);
        assertThat(read10(other)).as("the unit is reserved by the reinstating session").isEqualTo(
                RESERVATION_CONFLICT);

        old.close(); // the old session's close arrives: its last connection ends, an I_T nexus loss

        assertThat(read10(other)).as("the new session's reservation outlives the old session's end")
                .isEqualTo(RESERVATION_CONFLICT);
    }
}
