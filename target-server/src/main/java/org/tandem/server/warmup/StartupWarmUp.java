package org.tandem.server.warmup;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.net.TargetServer;
import org.tandem.server.session.TargetCatalog;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a few iSCSI sessions through this process's own login and command paths at start-up, on a private loopback
 * listener with a private target, so that a cluster node's first takeover does not pay for loading and
 * interpreting that code while its initiators wait. Measured in the namespace cluster tests: after the survivor's
 * tickle, the reconnecting initiator's first write completed 120-150 ms later on a node that had never served a
 * session, 20-30 ms later on one that had.
 *
 * <p>Each session does what a reconnecting initiator does: login in two stages, TEST UNIT READY, INQUIRY (standard
 * and Device Identification VPD), REPORT LUNS, READ CAPACITY (16), MODE SENSE (6), WRITE (10) with immediate data,
 * READ (10), SYNCHRONIZE CACHE (10), a NOP-Out ping and logout, against a fileio LUN on a 1 MiB temporary file
 * (deleted afterwards). Every answer is checked, the data read must be the data written, so the run is also a
 * self-test of the data path; a failure is logged once as a warning and changes nothing else. The sessions are
 * the warm-up target's own: the daemon's targets, sessions and counters never see them.
 */
public final class StartupWarmUp implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(StartupWarmUp.class);
    /** The warm-up's target and initiator: the project's own naming authority, never a configured target. */
    static final String TARGET = "iqn.2026-11.org.tandem:warm-up";
    static final String INITIATOR = "iqn.2026-11.org.tandem:warm-up-initiator";
    private static final int BLOCK = 512;
    private static final long FILE_BYTES = 1 << 20;
    /**
     * What open-iscsi offers in the operational stage with a stock iscsid.conf, so that the same negotiation code
     * runs. The writes are small enough to go as immediate data: R2T and Data-Out are not exercised.
     */
    private static final String OPERATIONAL = String.join("\0", "HeaderDigest=None", "DataDigest=None",
            "MaxRecvDataSegmentLength=262144", "InitialR2T=No", "ImmediateData=Yes", "MaxBurstLength=16776192",
            "FirstBurstLength=262144", "DefaultTime2Wait=2", "DefaultTime2Retain=0", "MaxOutstandingR2T=1",
            "DataPDUInOrder=Yes", "DataSequenceInOrder=Yes", "ErrorRecoveryLevel=0", "IFMarker=No", "OFMarker=No",
            "MaxConnections=1") + "\0";

    private final Thread thread;
    /** Set by {@link #close()}: no further session starts. */
    private final AtomicBoolean stopping;

    private StartupWarmUp(Thread thread, AtomicBoolean stopping) {
        this.thread = thread;
        this.stopping = stopping;
    }

    /**
     * Starts {@code sessions} (1 or more) warm-up sessions one after the other on a daemon thread; storage work runs
     * on {@code ioExecutor}, the daemon's own, so that its code warms too. Returns at once.
     */
    public static StartupWarmUp start(Executor ioExecutor, int sessions) {
        if (sessions < 1) {
            throw new IllegalArgumentException("sessions must be 1 or more, got " + sessions);
        }
        AtomicBoolean stopping = new AtomicBoolean();
        Thread t = new Thread(() -> run(ioExecutor, sessions, stopping), "tandem-warm-up");
        t.setDaemon(true);
        t.start();
        return new StartupWarmUp(t, stopping);
    }

    /** Waits up to {@code millis} for the warm-up to end; true when it has. */
    public boolean await(long millis) throws InterruptedException {
        thread.join(millis);
        return !thread.isAlive();
    }

    private static void run(Executor ioExecutor, int sessions, AtomicBoolean stopping) {
        long start = System.nanoTime();
        try {
            List<Long> millis = runSessions(ioExecutor, sessions, Path.of(System.getProperty("java.io.tmpdir")),
                    stopping);
            LOG.info("warm-up: {} loopback session(s) through login, SCSI commands and logout in {} ms (each: {} ms)",
                    millis.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), millis);
        } catch (IOException | ConfigException | RuntimeException e) {
            LOG.warn("warm-up: a loopback session failed, so the first logins after start or takeover may take"
                    + " about 0.1 s longer; serving is not affected: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the sessions now, with the LUN's file in {@code directory}; returns each session's duration in
     * milliseconds (fewer than {@code sessions} once {@code stopping} is set), or throws what went wrong. The file
     * is unlinked as soon as the LUN has it open, so that not even a crash leaves it behind.
     */
    static List<Long> runSessions(Executor ioExecutor, int sessions, Path directory, AtomicBoolean stopping)
            throws IOException, ConfigException, InterruptedException {
        Path file = Files.createTempFile(directory, "tandem-warm-up-", ".img");
        try {
            if (file.toString().matches(".*[\\s,].*")) {
                // An ietd.conf Lun line holds no spaces, and commas separate its options.
                throw new IOException("its temporary file's path " + file + " has a space or comma, which a Lun"
                        + " line cannot hold; set java.io.tmpdir to a directory without");
            }
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(FILE_BYTES);
            }
            TandemConfig config = IetdConfParser.parse(Path.of("(start-up warm-up)"),
                    "Target " + TARGET + "\n\tLun 0 Path=" + file + ",Type=fileio,IOMode=wt\n");
            List<Long> millis = new ArrayList<>();
            try (TargetCatalog catalog = TargetCatalog.openInternal(config, ioExecutor);
                 TargetServer server = TargetServer.start(catalog,
                         List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))) {
                Files.delete(file);
                InetSocketAddress portal = server.boundAddresses().get(0);
                for (int i = 0; i < sessions && !stopping.get(); i++) {
                    long began = System.nanoTime();
                    session(portal, 0x400000000000L | (i + 1), i);
                    millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                }
            }
            return millis;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One session; {@code round} varies the data written so a stale read cannot pass. */
    private static void session(InetSocketAddress portal, long isid, int round) throws IOException {
        try (LoopbackInitiator i = new LoopbackInitiator(portal)) {
            i.login(INITIATOR, TARGET, isid, OPERATIONAL);
            // The first command of a new I_T nexus may meet a unit attention (power on, reset): TUR clears it.
            int status = i.command(new byte[6], 0).status();
            if (status != LoopbackInitiator.GOOD) {
                status = i.command(new byte[6], 0).status();
            }
            expect("TEST UNIT READY", status);
            byte[] inquiry = check("INQUIRY", i.command(new byte[] {0x12, 0, 0, 0, 96, 0}, 96));
            if (inquiry.length < 36 || (inquiry[0] & 0x1f) != 0) {
                throw new IOException("INQUIRY: expected a direct-access block device, got " + inquiry.length
                        + " bytes, peripheral device type " + (inquiry.length > 0 ? inquiry[0] & 0x1f : -1));
            }
            check("INQUIRY VPD 0x83", i.command(new byte[] {0x12, 1, (byte) 0x83, 0, (byte) 0xff, 0}, 255));
            check("REPORT LUNS", i.command(new byte[] {(byte) 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}, 256));
            byte[] capacity = check("READ CAPACITY (16)", i.command(new byte[] {(byte) 0x9e, 0x10, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 32, 0, 0}, 32));
            long lastLba = capacity.length >= 8 ? ByteBuffer.wrap(capacity).getLong(0) : -1;
            if (lastLba != FILE_BYTES / BLOCK - 1) {
                throw new IOException("READ CAPACITY (16): last LBA " + lastLba + ", expected "
                        + (FILE_BYTES / BLOCK - 1));
            }
            check("MODE SENSE (6)", i.command(new byte[] {0x1a, 0, 0x3f, 0, (byte) 0xff, 0}, 255));
            byte[] data = new byte[8 * BLOCK];
            Arrays.fill(data, (byte) (0x5a + round));
            byte[] write10 = {0x2a, 0, 0, 0, 0, (byte) (8 * round), 0, 0, 8, 0};
            check("WRITE (10)", i.write(write10, data));
            byte[] read10 = {0x28, 0, 0, 0, 0, (byte) (8 * round), 0, 0, 8, 0};
            byte[] back = check("READ (10)", i.command(read10, data.length));
            if (!Arrays.equals(back, data)) {
                throw new IOException("READ (10) returned other data than WRITE (10) wrote to LBA " + 8 * round);
            }
            check("SYNCHRONIZE CACHE (10)", i.command(new byte[] {0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 0));
            i.ping();
            i.logout();
        }
    }

    private static byte[] check(String command, LoopbackInitiator.Answer answer) throws IOException {
        expect(command, answer.status());
        return answer.data();
    }

    private static void expect(String command, int status) throws IOException {
        if (status != LoopbackInitiator.GOOD) {
            throw new IOException(command + " ended with status 0x" + Integer.toHexString(status) + ", not GOOD");
        }
    }

    /**
     * Lets the session under way finish, starts no other, and waits for it (the daemon is closing and is about to
     * stop the executor it uses); bounded by the session's socket timeouts, and given up after 10 s.
     */
    @Override
    public void close() {
        stopping.set(true);
        try {
            if (!await(10_000)) {
                LOG.warn("warm-up: still running after 10 s; closing without it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
