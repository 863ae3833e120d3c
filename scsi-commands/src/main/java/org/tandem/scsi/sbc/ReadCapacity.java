package org.tandem.scsi.sbc;

import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/** READ CAPACITY(10) and (16) (SBC-4 sections 5.20, 5.21). */
public final class ReadCapacity {
    private ReadCapacity() {
    }

    public static CompletionStage<CommandResult> execute10(CommandContext c) {
        byte[] cdb = c.cdb();
        boolean pmi = (cdb[8] & 0x01) != 0;
        if (!pmi && Cdb.u32(cdb, 2) != 0) {
            return CommandContext.done(CommandResult.invalidField(2, -1)); // LBA must be zero without PMI
        }
        BlockStore store = c.store();
        long lastLba = store.blockCount() - 1;
        ByteBuffer d = ByteBuffer.allocate(8);
        d.putInt((int) Math.min(lastLba, 0xffffffffL)).putInt(store.blockSize());
        return CommandContext.done(CommandResult.good(ParameterData.truncated(d.array(), 8)));
    }

    public static CompletionStage<CommandResult> execute16(CommandContext c) {
        BlockStore store = c.store();
        ByteBuffer d = ByteBuffer.allocate(32);
        d.putLong(store.blockCount() - 1).putInt(store.blockSize());
        // P_TYPE/PROT_EN 0, one logical block per physical block, LBPME 0 (fully provisioned), aligned at 0.
        return CommandContext.done(CommandResult.good(ParameterData.truncated(d.array(), Cdb.u32(c.cdb(), 10))));
    }
}
