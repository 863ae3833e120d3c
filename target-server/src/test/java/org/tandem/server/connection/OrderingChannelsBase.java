package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.DataIn;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.ScsiResponse;
import org.tandem.iscsi.pdu.ScsiTaskAttribute;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bench the CmdSN ordering tests share: one session of one fileio LUN, connections as EmbeddedChannels with
 * storage I/O on the calling thread, and builders and readers for the PDUs the tests exchange.
 */
abstract class OrderingChannelsBase {
    protected static final String TARGET = "iqn.2026-11.org.tandem.test:ordering";
    /** The CmdSN the session starts at; a test may change it before its first {@link #connect}. */
    protected int first = 1000;
    protected static final int DEPTH = 32;
    protected static final int BLOCK = 512;

    @TempDir
    protected Path dir;
    protected TargetCatalog catalog;
    protected final List<EmbeddedChannel> channels = new ArrayList<>();
    protected Session session;

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        if (catalog != null) {
            catalog.close();
        }
    }

    protected EmbeddedChannel connect(boolean initialR2T) throws Exception {
        if (catalog == null) {
            Path lun = dir.resolve("lun0.img");
            try (RandomAccessFile f = new RandomAccessFile(lun.toFile(), "rw")) {
                f.setLength(1024 * 1024);
            }
            Path conf = dir.resolve("ietd.conf");
            Files.writeString(conf, "Target " + TARGET + "\n    Lun 0 Path=lun0.img,Type=fileio,IOMode=wb\n");
            catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        }
        SessionParameters p = new SessionParameters(false, "iqn.2026-11.org.tandem.test:init", null, TARGET, false,
                false, 2, initialR2T, true, 65536, 65536, 262144, 65536, 2, 20, 1, 0);
        if (session == null) {
            session = new Session(p.initiatorName(), 0x400000000001L, 1, catalog.target(TARGET), p,
                    new ItNexus(Session.initiatorPortName(p.initiatorName(), 0x400000000001L), TARGET + ",t,0x0001"),
                    new CommandWindow(first, DEPTH));
        }
        EmbeddedChannel ch = new EmbeddedChannel(new FullFeatureHandler(session, p, catalog, channels.size(), 1, 0,
                0));
        channels.add(ch);
        if (channels.size() == 1) {
            // The new I_T nexus has a unit attention (power on): an immediate TEST UNIT READY takes it.
            ch.writeInbound(new ScsiCommand(true, true, false, false, ScsiTaskAttribute.SIMPLE, 0, 0xfff, 0, first,
                    0, new byte[16], -1, Unpooled.EMPTY_BUFFER));
            assertThat(answered(ch)).containsExactly(0xfff);
        }
        return ch;
    }

    protected static byte[] pattern(int seed) {
        byte[] b = new byte[BLOCK];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    protected static byte[] cdb(int opcode) {
        byte[] cdb = new byte[16];
        cdb[0] = (byte) opcode;
        cdb[8] = 1; // one block at LBA 0
        return cdb;
    }

    protected static ScsiCommand write(int itt, int cmdSn, ByteBuf data, int length, boolean finalFlag) {
        return new ScsiCommand(false, finalFlag, false, true, ScsiTaskAttribute.SIMPLE, 0, itt, length, cmdSn, 0,
                cdb(0x2a), -1, data);
    }

    protected static ScsiCommand write(int itt, int cmdSn, byte[] data) {
        return write(itt, cmdSn, Unpooled.wrappedBuffer(data), BLOCK, true);
    }

    protected static ScsiCommand read(int itt, int cmdSn, boolean immediate) {
        return new ScsiCommand(immediate, true, true, false, ScsiTaskAttribute.SIMPLE, 0, itt, BLOCK, cmdSn, 0,
                cdb(0x28), -1, Unpooled.EMPTY_BUFFER);
    }

    protected static TaskManagementRequest abortTask(boolean immediate, int itt, int referencedTag, int cmdSn,
                                                   int refCmdSn) {
        return new TaskManagementRequest(immediate, TaskManagementRequest.ABORT_TASK, 0, itt, referencedTag, cmdSn,
                0, refCmdSn, 0);
    }

    /** Everything the target sent so far, after running what waits on the event loop. */
    protected static List<IscsiPdu> sent(EmbeddedChannel ch) {
        return NexusBench.sent(ch);
    }

    /** The task tags of the SCSI Responses (and Data-In with status) sent, in order; releases what was sent. */
    protected static List<Integer> answered(EmbeddedChannel ch) {
        List<Integer> tags = new ArrayList<>();
        for (IscsiPdu p : sent(ch)) {
            if (p instanceof ScsiResponse || (p instanceof DataIn d && d.statusPresent())) {
                tags.add(p.initiatorTaskTag());
            }
            p.release();
        }
        return tags;
    }

    protected byte[] readBack(EmbeddedChannel ch, int itt) {
        ch.writeInbound(read(itt, 0, true));
        byte[] data = null;
        for (IscsiPdu p : sent(ch)) {
            if (p instanceof DataIn d) {
                data = ByteBufUtil.getBytes(d.data());
            }
            p.release();
        }
        return data;
    }

    protected TaskManagementResponse tmfResponse(EmbeddedChannel ch) {
        TaskManagementResponse r = null;
        for (IscsiPdu p : sent(ch)) {
            if (p instanceof TaskManagementResponse t) {
                r = t;
            }
            p.release();
        }
        return r;
    }

}
