package org.tandem.server.control;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.lun.memory.MemoryStore;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.lu.StandardCommands;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.server.CapturedLog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LUN taken out of service keeps its store open until the commands it accepted have completed, then flushes and
 * closes it: an initiator's READ already under way gets its data, not an error from a closed file.
 */
class RetirementTest {
    private static final ItNexus NEXUS = new ItNexus("iqn.a,i,0x000000000001", "iqn.t,t,0x0001");

    /** A memory store that says whether it was flushed and closed. */
    private static final class WatchedStore implements BlockStore {
        private final MemoryStore memory = new MemoryStore(512, 16, false);
        final AtomicBoolean flushed = new AtomicBoolean();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public int blockSize() {
            return memory.blockSize();
        }

        @Override
        public long blockCount() {
            return memory.blockCount();
        }

        @Override
        public boolean readOnly() {
            return memory.readOnly();
        }

        @Override
        public boolean writeCacheEnabled() {
            return memory.writeCacheEnabled();
        }

        @Override
        public void read(long offset, ByteBuf dst, int length) {
            memory.read(offset, dst, length);
        }

        @Override
        public void write(long offset, ByteBuf src, boolean forceUnitAccess) {
            memory.write(offset, src, forceUnitAccess);
        }

        @Override
        public long resize(long blocks) throws IOException {
            return memory.resize(blocks);
        }

        @Override
        public void flush() {
            flushed.set(true);
        }

        @Override
        public String describe() {
            return "watched " + memory.describe();
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static byte[] read16(long lba, int blocks) {
        byte[] c = new byte[16];
        c[0] = (byte) 0x88;
        ByteBuffer.wrap(c).putLong(2, lba).putInt(10, blocks);
        return c;
    }

    @Test
    void aRetiredLunsStoreClosesOnceItsReadInFlightHasCompleted() throws Exception {
        ConcurrentLinkedQueue<Runnable> io = new ConcurrentLinkedQueue<>();
        WatchedStore store = new WatchedStore();
        LogicalUnit unit = new LogicalUnit(LunIdentity.derive("iqn.2026-11.org.tandem.test:a", 1, 0, null, null),
                store, io::add, StandardCommands.table(), () -> List.of(0));
        unit.execute(new CommandRequest(NEXUS, new byte[16], Unpooled.EMPTY_BUFFER)).toCompletableFuture().join();
        CompletableFuture<CommandResult> read = unit.execute(new CommandRequest(NEXUS, read16(0, 1),
                Unpooled.EMPTY_BUFFER)).toCompletableFuture();
        assertThat(unit.commandsInFlight()).isOne();

        try (CapturedLog log = new CapturedLog(TargetControl.class)) {
            // retiring a LUN needs no catalog (only ending a target does: it closes the target's sessions)
            CompletableFuture<Void> retired = CompletableFuture.runAsync(() -> new Retirement(null).retire(unit));
            Thread.sleep(100);
            assertThat(retired).as("waits for the READ").isNotDone();
            assertThat(store.closed).isFalse();

            io.remove().run();
            CommandResult r = read.join();
            assertThat(r.isGood()).isTrue();
            r.dataIn().release();
            retired.get(5, TimeUnit.SECONDS);
            assertThat(store.flushed).isTrue();
            assertThat(store.closed).isTrue();
            assertThat(log.warnings()).as("nothing was still running").isEmpty();
        }
    }
}
