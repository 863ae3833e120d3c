package org.tandem.scsi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.lun.memory.MemoryStore;
import org.tandem.lun.spi.BlockStore;
import org.tandem.lun.spi.IoMode;
import org.tandem.lun.spi.StoreSpec;
import org.tandem.lun.spi.StoreType;
import org.tandem.lun.store.DetachableStore;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.lu.StandardCommands;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.scsi.sam.ScsiStatus;

import java.io.IOException;
import org.tandem.scsi.reservation.ReservationState;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogicalUnitTest {
    private static final ItNexus A = new ItNexus("iqn.a,i,0x000000000001", "iqn.t,t,0x0001");
    private static final ItNexus B = new ItNexus("iqn.b,i,0x000000000002", "iqn.t,t,0x0001");
    private static final int BLOCKS = 2048;

    private LogicalUnit lu;

    @BeforeEach
    void setUp() {
        lu = unit(new MemoryStore(512, BLOCKS, false));
        clearPowerOn(A);
        clearPowerOn(B);
    }

    private static LogicalUnit unit(BlockStore store) {
        return new LogicalUnit(LunIdentity.derive("iqn.2026-11.org.test:t", 1, 0, null, null), store, Runnable::run,
                StandardCommands.table(), () -> List.of(0, 1, 300));
    }

    private void clearPowerOn(ItNexus n) {
        CommandResult r = run(n, cdb(0x00, 6));
        assertThat(r.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(senseKey(r)).isEqualTo(0x6);
        assertThat(run(n, cdb(0x00, 6)).isGood()).isTrue();
    }

    private CommandResult run(ItNexus n, byte[] cdb) {
        return run(n, cdb, Unpooled.EMPTY_BUFFER);
    }

    private CommandResult run(ItNexus n, byte[] cdb, ByteBuf data) {
        return lu.execute(new CommandRequest(n, cdb, data)).toCompletableFuture().join();
    }

    private static byte[] cdb(int opcode, int length, int... bytes) {
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        for (int i = 0; i + 1 < bytes.length; i += 2) {
            c[bytes[i]] = (byte) bytes[i + 1];
        }
        return c;
    }

    private static byte[] rw16(int opcode, long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) opcode;
        ByteBuffer.wrap(c).putLong(2, lba).putInt(10, blocks);
        return c;
    }

    private static int senseKey(CommandResult r) {
        return r.sense()[2] & 0x0f;
    }

    private static int ascq(CommandResult r) {
        return ((r.sense()[12] & 0xff) << 8) | (r.sense()[13] & 0xff);
    }

    private static byte[] bytes(CommandResult r) {
        byte[] b = ByteBufUtil.getBytes(r.dataIn());
        r.dataIn().release();
        return b;
    }

    @Test
    void firstCommandOfEachNexusReportsPowerOnButInquiryPassesIt() {
        ItNexus c = new ItNexus("iqn.c,i,0x000000000003", "iqn.t,t,0x0001");
        CommandResult inquiry = run(c, cdb(0x12, 6, 4, 96));
        assertThat(inquiry.isGood()).isTrue();
        inquiry.dataIn().release();
        CommandResult tur = run(c, cdb(0x00, 6));
        assertThat(ascq(tur)).isEqualTo(0x2900);
        assertThat(run(c, cdb(0x00, 6)).isGood()).isTrue();
    }

    @Test
    void standardInquiryNamesTheVendorAndSpc4() {
        byte[] d = bytes(run(A, cdb(0x12, 6, 4, 96)));
        assertThat(d).hasSize(96);
        assertThat(d[0]).isEqualTo((byte) 0);           // connected direct-access device
        assertThat(d[2]).isEqualTo((byte) 6);           // SPC-4
        assertThat(new String(d, 8, 8)).isEqualTo("TANDEM  ");
        assertThat(d[7] & 0x02).isEqualTo(0x02);        // CMDQUE
    }

    @Test
    void deviceIdentificationIsDerivedFromConfigurationAlone() {
        byte[] d1 = bytes(run(A, cdb(0x12, 6, 1, 1, 2, 0x83, 4, 0xff)));
        byte[] d2 = bytes(unit(new MemoryStore(512, 8, false)).execute(new CommandRequest(A,
                cdb(0x12, 6, 1, 1, 2, 0x83, 4, 0xff), Unpooled.EMPTY_BUFFER)).toCompletableFuture().join());
        assertThat(d1).isEqualTo(d2);                   // same target + LUN on another server: same identity
        assertThat(d1[1]).isEqualTo((byte) 0x83);
        assertThat(d1[5] & 0x0f).isEqualTo(3);          // first designator: NAA
        assertThat(d1[8] >> 4 & 0x0f).isEqualTo(3);     // NAA 3, locally assigned
    }

    @Test
    void unsupportedVpdPageIsInvalidFieldPointingAtByteTwo() {
        CommandResult r = run(A, cdb(0x12, 6, 1, 1, 2, 0xc7, 4, 0xff));
        assertThat(senseKey(r)).isEqualTo(0x5);
        assertThat(ascq(r)).isEqualTo(0x2400);
        assertThat(r.sense()[15] & 0xff).isEqualTo(0xc0);   // SKSV, C/D = CDB
        assertThat(r.sense()[17]).isEqualTo((byte) 2);      // field pointer: byte 2
    }

    @Test
    void unknownOpcodeIsInvalidCommandOperationCode() {
        CommandResult r = run(A, cdb(0xc9, 6));
        assertThat(senseKey(r)).isEqualTo(0x5);
        assertThat(ascq(r)).isEqualTo(0x2000);
    }

    @Test
    void nacaBitIsRefusedSinceAcaIsNotSupported() {
        CommandResult r = run(A, cdb(0x00, 6, 5, 0x04));
        assertThat(ascq(r)).isEqualTo(0x2400);
        assertThat(r.sense()[17]).isEqualTo((byte) 5);
    }

    @Test
    void readCapacityReportsLastLbaAndBlockSize() {
        ByteBuffer rc10 = ByteBuffer.wrap(bytes(run(A, cdb(0x25, 10))));
        assertThat(rc10.getInt(0)).isEqualTo(BLOCKS - 1);
        assertThat(rc10.getInt(4)).isEqualTo(512);
        ByteBuffer rc16 = ByteBuffer.wrap(bytes(run(A, cdb(0x9e, 16, 1, 0x10, 13, 32))));
        assertThat(rc16.getLong(0)).isEqualTo(BLOCKS - 1);
        assertThat(rc16.getInt(8)).isEqualTo(512);
    }

    @Test
    void writtenBlocksReadBack() {
        byte[] pattern = new byte[1024];
        Arrays.fill(pattern, (byte) 0x5a);
        CommandResult w = run(A, rw16(0x8a, 100, 2), Unpooled.wrappedBuffer(pattern));
        assertThat(w.isGood()).isTrue();
        assertThat(w.transferLength()).isEqualTo(1024);
        assertThat(bytes(run(A, rw16(0x88, 100, 2)))).isEqualTo(pattern);
    }

    @Test
    void accessBeyondTheLastBlockIsLbaOutOfRangeAndWritesNothing() {
        CommandResult r = run(A, rw16(0x8a, BLOCKS - 1, 2), Unpooled.wrappedBuffer(new byte[1024]));
        assertThat(senseKey(r)).isEqualTo(0x5);
        assertThat(ascq(r)).isEqualTo(0x2100);
        assertThat(ascq(run(A, rw16(0x88, -1L, 1)))).isEqualTo(0x2100); // LBA 2^64-1 does not wrap around
    }

    @Test
    void writeWithTooLittleDataWritesOnlyWhatCameAndReportsTheCdbLength() {
        run(A, rw16(0x8a, 10, 1), Unpooled.wrappedBuffer(filled(512, 'a')));
        CommandResult r = run(A, rw16(0x8a, 10, 1), Unpooled.wrappedBuffer(filled(200, 'b')));
        assertThat(r.isGood()).isTrue();
        assertThat(r.transferLength()).isEqualTo(512);  // the transport reports 312 bytes of residual overflow
        byte[] back = bytes(run(A, rw16(0x88, 10, 1)));
        assertThat(back[199]).isEqualTo((byte) 'b');
        assertThat(back[200]).isEqualTo((byte) 'a');
    }

    @Test
    void protectionInformationIsRefused() {
        byte[] c = rw16(0x88, 0, 1);
        c[1] = 0x20; // RDPROTECT 1
        assertThat(ascq(run(A, c))).isEqualTo(0x2400);
    }

    @Test
    void reportLunsListsTheTargetsLunsInPeripheralAndFlatAddressing() {
        ByteBuffer d = ByteBuffer.wrap(bytes(run(A, cdb(0xa0, 12, 9, 0xff))));
        assertThat(d.getInt(0)).isEqualTo(24);
        assertThat(new LunAddress(d.getLong(8)).number()).isEqualTo(0);
        assertThat(new LunAddress(d.getLong(16)).number()).isEqualTo(1);
        assertThat(new LunAddress(d.getLong(24)).number()).isEqualTo(300);
        assertThat(d.getLong(24) >>> 62).isEqualTo(1);  // flat space addressing above 255
    }

    @Test
    void requestSenseReturnsAndClearsAPendingUnitAttention() {
        lu.reset(org.tandem.scsi.sense.SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
        byte[] sense = bytes(run(A, cdb(0x03, 6, 4, 18)));
        assertThat(sense[2] & 0x0f).isEqualTo(0x6);
        assertThat(sense[12]).isEqualTo((byte) 0x29);
        assertThat(sense[13]).isEqualTo((byte) 0x03);
        assertThat(run(A, cdb(0x00, 6)).isGood()).isTrue();
        assertThat(ascq(run(B, cdb(0x00, 6)))).isEqualTo(0x2903); // every nexus, the other one too
    }

    @Test
    void persistentReservationWriteExclusiveBlocksOthersWritesButNotReads() {
        assertThat(prout(A, 0, 0, 0, 0xabc).status()).isEqualTo(ScsiStatus.GOOD);           // REGISTER
        assertThat(prout(A, 1, 1, 0xabc, 0).status()).isEqualTo(ScsiStatus.GOOD);           // RESERVE, WE
        assertThat(run(B, rw16(0x8a, 0, 1), Unpooled.wrappedBuffer(new byte[512])).status())
                .isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        CommandResult read = run(B, rw16(0x88, 0, 1));
        assertThat(read.isGood()).isTrue();
        read.dataIn().release();
        assertThat(run(A, rw16(0x8a, 0, 1), Unpooled.wrappedBuffer(new byte[512])).isGood()).isTrue();
        ByteBuffer keys = ByteBuffer.wrap(bytes(run(A, cdb(0x5e, 10, 1, 0, 8, 0xff))));
        assertThat(keys.getInt(0)).isEqualTo(1);   // PRgeneration
        assertThat(keys.getInt(4)).isEqualTo(8);
        assertThat(keys.getLong(8)).isEqualTo(0xabc);
        assertThat(prout(B, 1, 1, 0x1, 0).status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT); // unregistered
    }

    @Test
    void reservationChangesCompleteOnlyOnceTheMirrorHasThemAndAnotherUnitCanTakeThemOver() {
        List<ReservationState> copies = new java.util.ArrayList<>();
        List<CompletableFuture<Void>> pending = new java.util.ArrayList<>();
        lu.reservationMirror(state -> {
            copies.add(state);
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        });
        CompletableFuture<CommandResult> register = lu.execute(new CommandRequest(A, cdb(0x5f, 10, 1, 0, 8, 24),
                Unpooled.buffer(24).writeLong(0).writeLong(0xabc).writeZero(8))).toCompletableFuture();
        assertThat(register).as("GOOD waits for the peer's copy").isNotDone();
        pending.get(0).complete(null);
        assertThat(register.join().status()).isEqualTo(ScsiStatus.GOOD);
        pending.clear();
        CompletableFuture<CommandResult> reserve = lu.execute(new CommandRequest(A, cdb(0x5f, 10, 1, 1, 2, 1, 8, 24),
                Unpooled.buffer(24).writeLong(0xabc).writeLong(0).writeZero(8))).toCompletableFuture();
        pending.get(0).complete(null);
        assertThat(reserve.join().status()).isEqualTo(ScsiStatus.GOOD);
        assertThat(copies).hasSize(2);
        assertThat(copies.get(1).holder()).isEqualTo(A);
        assertThat(copies.get(1).type()).isEqualTo(1);

        // Reserving again with the same type changes nothing: no copy.
        lu.reservationMirror(state -> {
            throw new AssertionError("nothing changed, nothing to copy");
        });
        assertThat(prout(A, 1, 1, 0xabc, 0).status()).isEqualTo(ScsiStatus.GOOD);

        // The peer's unit, given the copy, enforces the same reservation and reports the same keys.
        LogicalUnit peer = unit(new MemoryStore(512, BLOCKS, false));
        peer.reservations().restore(ReservationState.decode(copies.get(1).encode()));
        for (ItNexus n : List.of(A, B)) {  // the power-on unit attention first
            peer.execute(new CommandRequest(n, cdb(0x00, 6), Unpooled.EMPTY_BUFFER)).toCompletableFuture().join();
        }
        CommandResult conflict = peer.execute(new CommandRequest(B, rw16(0x8a, 0, 1),
                Unpooled.wrappedBuffer(new byte[512]))).toCompletableFuture().join();
        assertThat(conflict.status()).isEqualTo(ScsiStatus.RESERVATION_CONFLICT);
        ByteBuffer keys = ByteBuffer.wrap(bytes(peer.execute(new CommandRequest(A, cdb(0x5e, 10, 1, 0, 8, 0xff),
                Unpooled.EMPTY_BUFFER)).toCompletableFuture().join()));
        assertThat(keys.getInt(0)).isEqualTo(1);
        assertThat(keys.getLong(8)).isEqualTo(0xabc);
    }

    @Test
    void aReservationChangeThePeerCannotConfirmEndsInHardwareError() {
        lu.reservationMirror(state -> CompletableFuture.failedFuture(new java.io.IOException("peer silent")));
        CommandResult r = prout(A, 0, 0, 0, 0xabc);
        assertThat(r.status()).isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(senseKey(r)).isEqualTo(0x4);
        assertThat(ascq(r)).isEqualTo(0x4400);
    }

    @Test
    void reservationStateRoundTripsAndRejectsMalformedBytes() {
        ReservationState s = new ReservationState(7, List.of(new ReservationState.Registration(A, 1),
                new ReservationState.Registration(B, -2)), B, 5);
        assertThat(ReservationState.decode(s.encode())).isEqualTo(s);
        assertThat(ReservationState.decode(ReservationState.EMPTY.encode())).isEqualTo(ReservationState.EMPTY);
        byte[] bytes = s.encode();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReservationState.decode(Arrays.copyOf(bytes,
                bytes.length - 3))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReservationState.decode(Arrays.copyOf(bytes,
                bytes.length + 1))).hasMessageContaining("trailing");
        byte[] badFormat = bytes.clone();
        badFormat[0] = 9;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReservationState.decode(badFormat))
                .hasMessageContaining("format 9");
        byte[] badType = bytes.clone();
        badType[5] = 2;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReservationState.decode(badType))
                .hasMessageContaining("type 2");
    }

    @Test
    void reportTargetPortGroupsFollowsTheClusterStateAndAnswersInStandby() {
        byte[] standard = bytes(run(A, cdb(0x12, 6, 4, 96)));
        assertThat(standard[5] & 0x30).as("TPGS: implicit ALUA").isEqualTo(0x10);
        byte[] rtpg = {(byte) 0xa3, 0x0a, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
        byte[] active = bytes(run(A, rtpg));
        assertThat(ByteBuffer.wrap(active).getInt(0)).isEqualTo(12);
        assertThat(active[4] & 0xff).as("PREF, active/optimized").isEqualTo(0x80);
        assertThat(active[5] & 0x0d).as("S_SUP, U_SUP, AO_SUP").isEqualTo(0x0d);
        assertThat(ByteBuffer.wrap(active).getShort(6)).as("target port group").isEqualTo((short) 1);
        assertThat(active[11]).as("one port").isEqualTo((byte) 1);
        assertThat(ByteBuffer.wrap(active).getShort(14)).isEqualTo((short) lu.identity().relativePort());

        lu.takeOffline(org.tandem.scsi.sense.SenseReason.TARGET_PORT_IN_STANDBY_STATE);
        assertThat(ascq(run(A, cdb(0x00, 6)))).as("TEST UNIT READY in standby").isEqualTo(0x040b);
        assertThat(bytes(run(A, rtpg))[4] & 0x0f).as("standby").isEqualTo(0x2);
        byte[] extended = {(byte) 0xa3, 0x2a, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
        byte[] ext = bytes(run(A, extended));
        assertThat(ext[4] & 0x70).as("extended header").isEqualTo(0x10);
        assertThat(ext[8] & 0x0f).isEqualTo(0x2);
        lu.takeOffline(org.tandem.scsi.sense.SenseReason.LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION);
        assertThat(bytes(run(A, rtpg))[4] & 0x0f).as("unavailable").isEqualTo(0x3);
        lu.bringOnline();
        assertThat(run(A, new byte[] {(byte) 0xa3, 0x4a, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0}).status())
                .as("unknown parameter data format").isEqualTo(ScsiStatus.CHECK_CONDITION);

        byte[] ids = bytes(run(A, cdb(0x12, 6, 1, 1, 2, 0x83, 4, 255)));
        boolean groupDesignator = false;
        for (int i = 4; i + 4 <= ids.length; i += 4 + (ids[i + 3] & 0xff)) {
            if ((ids[i + 1] & 0x0f) == 5) {
                groupDesignator = ids[i + 7] == 1;
            }
        }
        assertThat(groupDesignator).as("target port group designator in VPD 83h").isTrue();
    }

    @Test
    void rescanTakesTheSizeTheMediumGrewToBehindTheUnit(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("shared.img");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(8 * 512);
        }
        try (LogicalUnit shared = unit(org.tandem.lun.file.FileStore.open(file,
                org.tandem.lun.spi.IoMode.WB, 512))) {
            for (ItNexus n : List.of(A, B)) {
                shared.execute(new CommandRequest(n, cdb(0x00, 6), Unpooled.EMPTY_BUFFER)).toCompletableFuture().join();
            }
            assertThat(shared.rescan()).as("nothing changed").isEqualTo(8);
            assertThat(shared.execute(new CommandRequest(A, cdb(0x00, 6), Unpooled.EMPTY_BUFFER))
                    .toCompletableFuture().join().isGood()).isTrue();
            try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                f.setLength(32 * 512); // the other server grew it
            }
            assertThat(shared.rescan()).isEqualTo(32);
            assertThat(shared.store().blockCount()).isEqualTo(32);
            assertThat(ascq(shared.execute(new CommandRequest(B, cdb(0x00, 6), Unpooled.EMPTY_BUFFER))
                    .toCompletableFuture().join())).as("CAPACITY DATA HAS CHANGED").isEqualTo(0x2a09);
        }
    }

    private CommandResult prout(ItNexus n, int action, int type, long key, long saKey) {
        byte[] c = cdb(0x5f, 10, 1, action, 2, type, 8, 24);
        ByteBuf list = Unpooled.buffer(24).writeLong(key).writeLong(saKey).writeZero(8);
        return run(n, c, list);
    }

    @Test
    void softwareWriteProtectFromModeSelectRefusesWrites() {
        byte[] page = bytes(run(A, cdb(0x1a, 6, 1, 0x08, 2, 0x0a, 4, 0xff)));  // MODE SENSE(6), DBD, Control
        page[0] = 0;                                                           // mode data length is reserved
        page[4 + 4] |= 0x08;                                                   // SWP
        assertThat(run(A, cdb(0x15, 6, 1, 0x10, 4, page.length), Unpooled.wrappedBuffer(page)).isGood()).isTrue();
        CommandResult w = run(A, rw16(0x8a, 0, 1), Unpooled.wrappedBuffer(new byte[512]));
        assertThat(senseKey(w)).isEqualTo(0x7);
        assertThat(ascq(w)).isEqualTo(0x2702);
        assertThat(ascq(run(B, cdb(0x00, 6)))).isEqualTo(0x2a01);             // MODE PARAMETERS CHANGED
    }

    /**
     * WCE says whether a write is acknowledged before it is durable: only IOMode=wb does that (wt opens with O_DSYNC,
     * ro takes no writes). A cluster LUN's store answers the same whether its device is open here or not.
     */
    @Test
    void theCachingPageReportsAWriteCacheForWriteBackOnlyOpenOrNot(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("wce.img"), new byte[1 << 16]);
        for (IoMode mode : IoMode.values()) {
            DetachableStore store = new DetachableStore(new StoreSpec(StoreType.FILEIO, file, mode, 0, 0));
            lu = unit(store);
            clearPowerOn(A);
            for (boolean open : new boolean[] {false, true}) {
                if (open) {
                    store.attach();
                }
                byte[] page = bytes(run(A, cdb(0x1a, 6, 1, 0x08, 2, 0x08, 4, 0xff)));  // Caching page, DBD
                assertThat(page[4 + 2] & 0x04).as("WCE of IOMode=%s, device open: %s", mode, open)
                        .isEqualTo(mode == IoMode.WB ? 0x04 : 0);
            }
            store.close();
        }
    }

    @Test
    void modeSelectRefusesChangesToFieldsThatAreNotChangeable() {
        byte[] page = bytes(run(A, cdb(0x1a, 6, 1, 0x08, 2, 0x08, 4, 0xff)));  // Caching page
        page[0] = 0;
        page[4 + 2] ^= 0x04;                                                   // flip WCE
        CommandResult r = run(A, cdb(0x15, 6, 1, 0x10, 4, page.length), Unpooled.wrappedBuffer(page));
        assertThat(ascq(r)).isEqualTo(0x2600);
    }

    @Test
    void compareAndWriteWritesOnlyWhenTheMediumMatches() {
        run(A, rw16(0x8a, 5, 1), Unpooled.wrappedBuffer(filled(512, 'x')));
        byte[] c = rw16(0x89, 5, 0);
        c[13] = 1;
        ByteBuf wrong = Unpooled.buffer().writeBytes(filled(512, 'q')).writeBytes(filled(512, 'y'));
        CommandResult miss = run(A, c, wrong);
        assertThat(senseKey(miss)).isEqualTo(0xe);
        assertThat(bytes(run(A, rw16(0x88, 5, 1)))[0]).isEqualTo((byte) 'x');
        ByteBuf right = Unpooled.buffer().writeBytes(filled(512, 'x')).writeBytes(filled(512, 'y'));
        assertThat(run(A, c, right).isGood()).isTrue();
        assertThat(bytes(run(A, rw16(0x88, 5, 1)))[0]).isEqualTo((byte) 'y');
    }

    @Test
    void writeSameRepeatsOneBlock() {
        byte[] c = rw16(0x93, 20, 4);
        assertThat(run(A, c, Unpooled.wrappedBuffer(filled(512, 'w'))).isGood()).isTrue();
        assertThat(bytes(run(A, rw16(0x88, 20, 4)))).isEqualTo(filled(2048, 'w'));
    }

    @Test
    void storageErrorsBecomeMediumErrorsAndTheUnitKeepsServing() {
        BlockStore failing = new FailingReads(new MemoryStore(512, 16, false));
        LogicalUnit broken = unit(failing);
        broken.execute(new CommandRequest(A, cdb(0x00, 6), Unpooled.EMPTY_BUFFER)).toCompletableFuture().join();
        CommandResult r = broken.execute(new CommandRequest(A, rw16(0x88, 0, 1), Unpooled.EMPTY_BUFFER))
                .toCompletableFuture().join();
        assertThat(senseKey(r)).isEqualTo(0x3);
        assertThat(ascq(r)).isEqualTo(0x1100);
        assertThat(broken.execute(new CommandRequest(A, cdb(0x00, 6), Unpooled.EMPTY_BUFFER))
                .toCompletableFuture().join().isGood()).isTrue();
    }

    /** A unit whose storage work waits in {@code io} until the test runs it: its READs stay in flight meanwhile. */
    private static LogicalUnit unitWithHeldIo(ArrayDeque<Runnable> io) {
        LogicalUnit u = new LogicalUnit(LunIdentity.derive("iqn.2026-11.org.test:t", 1, 0, null, null),
                new MemoryStore(512, 16, false), io::add, StandardCommands.table(), () -> List.of(0));
        u.execute(new CommandRequest(A, cdb(0x00, 6), Unpooled.EMPTY_BUFFER)).toCompletableFuture().join(); // UA
        return u;
    }

    @Test
    void drainedCompletesWhenTheLastCommandInFlightCompletes() {
        ArrayDeque<Runnable> io = new ArrayDeque<>();
        LogicalUnit u = unitWithHeldIo(io);
        assertThat(u.drained()).as("nothing in flight: drained at once").isCompleted();

        CompletableFuture<CommandResult> read = u.execute(new CommandRequest(A, rw16(0x88, 0, 1),
                Unpooled.EMPTY_BUFFER)).toCompletableFuture();
        u.takeOffline(org.tandem.scsi.sense.SenseReason.TARGET_PORT_IN_STANDBY_STATE);
        CompletableFuture<Void> drained = u.drained();
        assertThat(drained).as("a READ is still in flight").isNotDone();
        assertThat(u.execute(new CommandRequest(A, cdb(0x00, 6), Unpooled.EMPTY_BUFFER)).toCompletableFuture()
                .join().status()).as("refused in standby").isEqualTo(ScsiStatus.CHECK_CONDITION);
        assertThat(drained).as("a command refused in standby does not complete the drain").isNotDone();

        io.remove().run();
        assertThat(bytes(read.join())).hasSize(512);
        assertThat(drained).as("the READ completed: nothing in flight").isCompleted();
        assertThat(u.drained()).isCompleted();
    }

    @Test
    void aBoundedWaitTimesOutAloneAndOtherWaitersStillSeeTheDrain() {
        ArrayDeque<Runnable> io = new ArrayDeque<>();
        LogicalUnit u = unitWithHeldIo(io);
        CompletableFuture<CommandResult> read = u.execute(new CommandRequest(A, rw16(0x88, 0, 1),
                Unpooled.EMPTY_BUFFER)).toCompletableFuture();
        u.takeOffline(org.tandem.scsi.sense.SenseReason.TARGET_PORT_IN_STANDBY_STATE);

        CompletableFuture<Void> impatient = u.drained().orTimeout(20, TimeUnit.MILLISECONDS);
        CompletableFuture<Void> patient = u.drained();
        assertThatThrownBy(impatient::join).hasCauseInstanceOf(TimeoutException.class);
        assertThat(patient).isNotDone();

        io.remove().run();
        bytes(read.join());
        assertThat(patient).isCompleted();
    }

    @Test
    void reportSupportedOperationCodesComesFromTheCommandTable() {
        byte[] c = cdb(0xa3, 12, 1, 0x0c, 2, 0x01, 3, 0x28, 9, 0xff);    // one command: READ(10)
        byte[] d = bytes(run(A, c));
        assertThat(d[1] & 0x07).isEqualTo(3);                           // supported, standard
        assertThat(((d[2] & 0xff) << 8) | (d[3] & 0xff)).isEqualTo(10); // CDB length
        assertThat(d[4]).isEqualTo((byte) 0x28);
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    /** A store whose reads fail as a dying disk's would. */
    private record FailingReads(BlockStore inner) implements BlockStore {
        @Override
        public int blockSize() {
            return inner.blockSize();
        }

        @Override
        public long blockCount() {
            return inner.blockCount();
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public boolean writeCacheEnabled() {
            return false;
        }

        @Override
        public void read(long offset, ByteBuf dst, int length) throws IOException {
            throw new IOException("simulated EIO");
        }

        @Override
        public void write(long offset, ByteBuf src, boolean forceUnitAccess) throws IOException {
            inner.write(offset, src, forceUnitAccess);
        }

        @Override
        public long resize(long blocks) throws IOException {
            return inner.resize(blocks);
        }

        @Override
        public void flush() {
        }

        @Override
        public String describe() {
            return "failing";
        }

        @Override
        public void close() {
        }
    }
}
