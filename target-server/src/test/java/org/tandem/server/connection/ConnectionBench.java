package org.tandem.server.connection;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.server.IpEmbeddedChannel;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One full feature phase connection on an EmbeddedChannel, for the tests of its jobs (Data-In, NOP, Text, Reject):
 * a catalog of two targets with one 1 MiB fileio LUN each, a normal or discovery session with the parameters a
 * test picks, storage I/O on the calling thread, and a channel whose addresses are IP addresses as a real one's are.
 */
final class ConnectionBench implements AutoCloseable {
    static final String TARGET = "iqn.2026-11.org.tandem.test:one";
    static final String OTHER_TARGET = "iqn.2026-11.org.tandem.test:two";
    static final String INITIATOR = "iqn.2026-11.org.tandem.test:init";
    static final int BLOCK = 512;

    final TargetCatalog catalog;
    final Session session;
    final EmbeddedChannel channel;
    /** What the connection sent, released when the bench closes (a test need not release what it reads). */
    private final List<IscsiPdu> handedOut = new ArrayList<>();

    /**
     * @param maxXmit    the initiator's MaxRecvDataSegmentLength (the target's send limit), bytes
     * @param maxBurst   MaxBurstLength, bytes
     * @param nopSeconds NOPInterval and NOPTimeout, seconds (0: no pings)
     */
    ConnectionBench(Path dir, boolean discovery, int maxXmit, int maxBurst, int nopSeconds) throws Exception {
        this(dir, parameters(discovery, maxXmit, maxBurst, true, true, 65536, 1), nopSeconds);
    }

    /** A connection with these parameters (a discovery session when {@code p.discovery()}). */
    ConnectionBench(Path dir, SessionParameters p, int nopSeconds) throws Exception {
        this(dir, p, nopSeconds, catalog -> { });
    }

    /**
     * As above; {@code meanwhile} runs after the session exists and before its connection enters full feature
     * phase, as a reload may between a login's checks and its last response.
     */
    ConnectionBench(Path dir, SessionParameters p, int nopSeconds, Consumer<TargetCatalog> meanwhile)
            throws Exception {
        for (String lun : List.of("one.img", "two.img")) {
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve(lun).toFile(), "rw")) {
                f.setLength(1024 * 1024);
            }
        }
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TARGET + "\n    Lun 0 Path=one.img,Type=fileio\n"
                + "Target " + OTHER_TARGET + "\n    Lun 0 Path=two.img,Type=fileio\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        session = new Session(INITIATOR, 0x400000000002L, 1, p.discovery() ? null : catalog.target(TARGET), p,
                new ItNexus(Session.initiatorPortName(INITIATOR, 0x400000000002L), TARGET + ",t,0x0001"),
                new CommandWindow(1, 16));
        meanwhile.accept(catalog);
        // RFC 5737 documentation addresses: the target's portal and the initiator
        channel = new IpEmbeddedChannel(new InetSocketAddress("192.0.2.1", 3260),
                new InetSocketAddress("192.0.2.9", 51000));
        channel.pipeline().addLast(new FullFeatureHandler(session, p, catalog, 0, 100, nopSeconds, nopSeconds));
    }

    /**
     * A session's parameters: lengths in bytes; MaxConnections 1, DefaultTime2Wait 2, DefaultTime2Retain 20,
     * ErrorRecoveryLevel 0, MaxRecvDataSegmentLength 65536.
     */
    static SessionParameters parameters(boolean discovery, int maxXmit, int maxBurst, boolean initialR2T,
                                        boolean immediateData, int firstBurst, int maxOutstandingR2T) {
        return new SessionParameters(discovery, INITIATOR, null, discovery ? null : TARGET, false, false, 1,
                initialR2T, immediateData, 65536, maxXmit, maxBurst, firstBurst, 2, 20, maxOutstandingR2T, 0);
    }

    /**
     * Sends an immediate TEST UNIT READY, as an initiator's first command, to take the unit attention every new I_T
     * nexus has (power on reset, SAM-5); later commands then run as asked.
     */
    void clearUnitAttention() {
        exchange(new ScsiCommand(true, true, false, false, ScsiTaskAttribute.SIMPLE, 0, 0xfff, 0, 1, 0, new byte[16],
                -1, Unpooled.EMPTY_BUFFER));
    }

    /** Hands a PDU (or nothing, with null) to the connection and returns everything it sent, in order. */
    List<IscsiPdu> exchange(IscsiPdu pdu) {
        if (pdu != null) {
            channel.writeInbound(pdu);
        }
        return sent();
    }

    /** Everything the connection sent so far, after running what waits on its event loop. */
    List<IscsiPdu> sent() {
        channel.runPendingTasks();
        List<IscsiPdu> out = new ArrayList<>();
        IscsiPdu p;
        while ((p = channel.readOutbound()) != null) {
            out.add(p);
        }
        handedOut.addAll(out);
        return out;
    }

    /** The one PDU the connection sent in answer to {@code pdu} (null: to what came before), of the type expected. */
    <T extends IscsiPdu> T answer(IscsiPdu pdu, Class<T> type) {
        List<IscsiPdu> sent = exchange(pdu);
        assertThat(sent).hasSize(1).first().isInstanceOf(type);
        return type.cast(sent.get(0));
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
        for (IscsiPdu p : handedOut) {
            if (p.data().refCnt() > 0) {
                p.release();
            }
        }
        catalog.close();
    }
}
