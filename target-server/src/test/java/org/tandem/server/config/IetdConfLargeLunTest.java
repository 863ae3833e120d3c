package org.tandem.server.config;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.session.TargetCatalog;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A nullio LUN of more than 2^32 blocks, from the ietd.conf line to what READ CAPACITY(16) reports. */
class IetdConfLargeLunTest {
    private static final ItNexus NEXUS = new ItNexus("iqn.2026-11.org.x:i,i,0x000000000001", "iqn.x,t,0x0001");

    @Test
    void readCapacity16ReportsTheSixtyFourBitBlockCountOfTheConfiguredLun() throws Exception {
        TandemConfig config = IetdConfParser.parse(Path.of("/etc/iet/ietd.conf"), """
                Target iqn.2026-11.org.x:big
                    Lun 0 Type=nullio,Blocks=5000000000   # 2.3 TiB of 512-byte blocks
                """);
        try (TargetCatalog catalog = TargetCatalog.open(config, Runnable::run)) {
            LogicalUnit unit = catalog.target("iqn.2026-11.org.x:big").lun(0);
            assertThat(unit.store().blockCount()).isEqualTo(5_000_000_000L).isGreaterThan(1L << 32);
            run(unit, new byte[16]); // TEST UNIT READY: takes the power-on unit attention
            byte[] cdb = new byte[16];
            cdb[0] = (byte) 0x9e; // SERVICE ACTION IN(16)
            cdb[1] = 0x10; // READ CAPACITY(16)
            cdb[13] = 32; // allocation length
            CommandResult r = run(unit, cdb);
            assertThat(r.isGood()).isTrue();
            ByteBuf data = r.dataIn();
            try {
                byte[] bytes = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), bytes);
                ByteBuffer b = ByteBuffer.wrap(bytes);
                assertThat(b.getLong(0)).isEqualTo(5_000_000_000L - 1); // RETURNED LOGICAL BLOCK ADDRESS
                assertThat(b.getInt(8)).isEqualTo(512); // LOGICAL BLOCK LENGTH IN BYTES
            } finally {
                data.release();
            }
        }
    }

    private static CommandResult run(LogicalUnit unit, byte[] cdb) {
        return unit.execute(new CommandRequest(NEXUS, cdb, Unpooled.EMPTY_BUFFER))
                .toCompletableFuture().join();
    }
}
