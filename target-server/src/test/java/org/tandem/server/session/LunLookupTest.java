package org.tandem.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.lu.NoLogicalUnit;
import org.tandem.scsi.lu.ScsiDevice;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a command's LUN field finds on a target (SAM-5 section 4.6): the logical unit configured at that number,
 * or, for a number without one or a field Tandem does not address, the answers of a LUN without a unit. Never null.
 */
class LunLookupTest {
    private static final String TARGET = "iqn.2026-11.org.x:t";
    private static final ItNexus NEXUS = new ItNexus("iqn.2026-11.org.x:i,i,0x000000000001", TARGET + ",t,0x0001");

    @Test
    void aConfiguredNumberFindsItsLogicalUnitAndAnyOtherFieldFindsNoLogicalUnit() throws Exception {
        TandemConfig config = IetdConfParser.parse(Path.of("/etc/iet/ietd.conf"), """
                Target iqn.2026-11.org.x:t
                    Lun 0 Type=nullio,Blocks=64
                    Lun 300 Type=nullio,Blocks=64
                """);
        try (TargetCatalog catalog = TargetCatalog.open(config, Runnable::run)) {
            IscsiTarget target = catalog.target(TARGET);
            assertThat(target.lun(LunAddress.of(0))).isSameAs(target.lun(0)).isInstanceOf(LogicalUnit.class);
            assertThat(target.lun(LunAddress.of(300))).isSameAs(target.lun(300));
            assertThat(target.lun(new LunAddress(0x412c_0000_0000_0000L))).isSameAs(target.lun(300)); // flat

            ScsiDevice seven = target.lun(LunAddress.of(7));
            ScsiDevice secondLevel = target.lun(new LunAddress(0x0000_0001_0000_0000L));
            assertThat(seven).isInstanceOf(NoLogicalUnit.class);
            assertThat(seven.exists()).isFalse();
            assertThat(secondLevel.exists()).isFalse();

            // REPORT LUNS to a LUN without a unit lists the target's units (SPC-5 section 6.33).
            byte[] reportLuns = {(byte) 0xa0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
            CommandResult r = seven.execute(new CommandRequest(NEXUS, reportLuns, Unpooled.EMPTY_BUFFER))
                    .toCompletableFuture().join();
            ByteBuf d = r.dataIn();
            try {
                assertThat(d.getInt(0)).isEqualTo(16);
                assertThat(d.getLong(8)).isEqualTo(LunAddress.of(0).field());
                assertThat(d.getLong(16)).isEqualTo(LunAddress.of(300).field());
            } finally {
                d.release();
            }
        }
    }
}
