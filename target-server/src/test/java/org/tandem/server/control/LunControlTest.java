package org.tandem.server.control;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.session.TargetCatalog;
import org.tandem.server.config.IetdConfParser;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LUNs added, removed, resized, taken offline and brought online on a running target, each checked as ietd.conf
 * would check its Lun line, and refused (CONFLICT) where it would break I/O in use unless forced.
 */
class LunControlTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private static final ItNexus NEXUS = new ItNexus("iqn.i,i,0x000000000001", A + ",t,0x0001");

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private ClusterMembership cluster;
    private LunControl luns;

    @BeforeEach
    void start() throws Exception {
        Path conf = Files.writeString(dir.resolve("ietd.conf"), "Target " + A + "\n Lun 0 Type=nullio,Blocks=1000\n"
                + " Lun 2 Type=nullio\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        cluster = new ClusterMembership();
        luns = new LunControl(new CatalogLookup(catalog), new Stanzas(conf), cluster, new Retirement(catalog));
    }

    @AfterEach
    void stop() {
        catalog.close();
    }

    private static LunRequest nullio(Integer lun) {
        return new LunRequest(lun, null, "nullio", null, null, null, null, null, null);
    }

    private static ControlException.Kind kind(Throwable e) {
        return ((ControlException) e).kind();
    }

    /** A READ(16) of block 0, after the TEST UNIT READY that takes the power-on unit attention. */
    private static void read(LogicalUnit u) {
        u.execute(new CommandRequest(NEXUS, new byte[16], Unpooled.EMPTY_BUFFER)).toCompletableFuture().join();
        byte[] cdb = new byte[16];
        cdb[0] = (byte) 0x88;
        ByteBuffer.wrap(cdb).putLong(2, 0).putInt(10, 1);
        CommandResult r = u.execute(new CommandRequest(NEXUS, cdb, Unpooled.EMPTY_BUFFER)).toCompletableFuture()
                .join();
        assertThat(r.isGood()).isTrue();
        r.dataIn().release();
    }

    @Test
    void aLunWithoutANumberTakesTheLowestFree() throws Exception {
        LogicalUnit u = luns.add(A, nullio(null));
        assertThat(catalog.target(A).lun(1)).isSameAs(u);
        assertThat(u.online()).as("without a cluster it serves at once").isTrue();
        assertThat(catalog.target(A).config().lun(1)).as("it runs as a Lun line, to be saved").isNotNull();
        assertThatThrownBy(() -> luns.add(A, nullio(2))).hasMessage("target " + A + " already has LUN 2")
                .extracting(LunControlTest::kind).isEqualTo(ControlException.Kind.CONFLICT);
    }

    @Test
    void inAClusterANewLunWaitsInStandbyForTheClusterToBringItOnline() throws Exception {
        AtomicInteger broughtOnline = new AtomicInteger();
        cluster.join(FakeCluster.withoutGroups(), broughtOnline::incrementAndGet);
        LogicalUnit u = luns.add(A, nullio(5));
        assertThat(u.notReadyReason()).isEqualTo(SenseReason.TARGET_PORT_IN_STANDBY_STATE);
        assertThat(broughtOnline).hasValue(1);
    }

    @Test
    void aFileioLunsFileIsCreatedSparseButNeverOverAnExistingFile() throws Exception {
        Path image = dir.resolve("new.img");
        LogicalUnit u = luns.add(A, new LunRequest(1, image.toString(), "fileio", null, null, null, null, null,
                1L << 20));
        assertThat(Files.size(image)).isEqualTo(1L << 20);
        assertThat(u.store().blockCount()).isEqualTo(2048);
        assertThatThrownBy(() -> luns.add(A, new LunRequest(3, image.toString(), "fileio", null, null, null, null,
                null, 1L << 20))).hasMessage(image + " already exists; add it without a size to use it as it is")
                .extracting(LunControlTest::kind).isEqualTo(ControlException.Kind.CONFLICT);
    }

    @Test
    void aLunReadInTheLast10SecondsIsInUseAndGoesOnlyWhenForced() throws Exception {
        LogicalUnit u = catalog.target(A).lun(0);
        assertThat(LunControl.busy(u)).as("never read").isNull();
        read(u);
        assertThat(LunControl.busy(u)).startsWith("last read or write 0.");
        assertThatThrownBy(() -> luns.remove(A, 0, false)).hasMessageStartingWith("LUN 0 of " + A
                + " is in use (last read or write ").hasMessageEndingWith("); stop its I/O first or force")
                .extracting(LunControlTest::kind).isEqualTo(ControlException.Kind.CONFLICT);
        luns.remove(A, 0, true);
        assertThat(catalog.target(A).lunNumbers()).containsExactly(2);
    }

    @Test
    void aResizeTakesWholeBlocksAndShrinksOnlyWhenForced() throws Exception {
        assertThatThrownBy(() -> luns.resize(A, 0, 1000, false))
                .hasMessage("size 1000 is not a whole number of 512-byte blocks")
                .extracting(LunControlTest::kind).isEqualTo(ControlException.Kind.INVALID);
        assertThatThrownBy(() -> luns.resize(A, 0, 512 * 500, false)).hasMessage("shrinking LUN 0 of " + A
                + " from 1000 to 500 blocks discards the data past the new end; force to do it")
                .extracting(LunControlTest::kind).isEqualTo(ControlException.Kind.CONFLICT);
        assertThat(luns.resize(A, 0, 512 * 2000, false)).isEqualTo(2000);
        assertThat(catalog.target(A).config().lun(0).store().blocks()).as("a nullio LUN saves its new size")
                .isEqualTo(2000);
        assertThat(luns.resize(A, 0, 512 * 500, true)).isEqualTo(500);
    }

    @Test
    void offlineAnswersNotReadyUntilBroughtOnline() throws Exception {
        luns.offline(A, 2);
        assertThat(catalog.target(A).lun(2).notReadyReason())
                .isEqualTo(SenseReason.LOGICAL_UNIT_NOT_READY_MANUAL_INTERVENTION);
        luns.online(A, 2);
        assertThat(catalog.target(A).lun(2).online()).isTrue();
        assertThatThrownBy(() -> luns.offline(A, 9)).extracting(LunControlTest::kind)
                .isEqualTo(ControlException.Kind.NOT_FOUND);
    }
}
