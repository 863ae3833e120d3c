package org.tandem.scsi.spc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

import java.util.concurrent.CompletionStage;

/**
 * MODE SENSE(6) and (10) (SPC-5 sections 6.13, 6.14) with the pages a block device is expected to have:
 * Read-Write Error Recovery, Caching (WCE reflects IOMode=wb), Control (with SWP, the one changeable field) and
 * Informational Exceptions Control.
 */
public final class ModeSense {
    static final int PAGE_READ_WRITE_ERROR_RECOVERY = 0x01;
    static final int PAGE_CACHING = 0x08;
    static final int PAGE_CONTROL = 0x0a;
    static final int PAGE_INFORMATIONAL_EXCEPTIONS = 0x1c;
    static final int ALL_PAGES = 0x3f;
    private static final int[] PAGES = {PAGE_READ_WRITE_ERROR_RECOVERY, PAGE_CACHING, PAGE_CONTROL,
            PAGE_INFORMATIONAL_EXCEPTIONS};
    static final int PC_CURRENT = 0;
    static final int PC_CHANGEABLE = 1;
    private static final int PC_SAVED = 3;
    static final int CONTROL_SWP = 0x08;

    private ModeSense() {
    }

    public static CompletionStage<CommandResult> execute6(CommandContext c) {
        return CommandContext.done(sense(c, false));
    }

    public static CompletionStage<CommandResult> execute10(CommandContext c) {
        return CommandContext.done(sense(c, true));
    }

    private static CommandResult sense(CommandContext c, boolean ten) {
        byte[] cdb = c.cdb();
        boolean dbd = (cdb[1] & 0x08) != 0;
        boolean llbaa = ten && (cdb[1] & 0x10) != 0;
        int pc = Cdb.u8(cdb, 2) >>> 6;
        int page = cdb[2] & 0x3f;
        int subpage = Cdb.u8(cdb, 3);
        long allocationLength = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
        if (pc == PC_SAVED) {
            return CommandResult.checkCondition(SenseData.cdbField(SenseReason.SAVING_PARAMETERS_NOT_SUPPORTED, 2, 7));
        }
        if (subpage != 0 && !(page == ALL_PAGES && subpage == 0xff)) {
            return CommandResult.invalidField(3, -1);
        }
        BlockStore store = c.store();
        ByteBuf pages = Unpooled.buffer();
        if (page == ALL_PAGES) {
            for (int p : PAGES) {
                pages.writeBytes(page(p, pc, c));
            }
        } else {
            byte[] one = page(page, pc, c);
            if (one == null) {
                return CommandResult.invalidField(2, 5);
            }
            pages.writeBytes(one);
        }
        int descriptorLength = dbd ? 0 : llbaa ? 16 : 8;
        int headerLength = ten ? 8 : 4;
        ByteBuf out = Unpooled.buffer(headerLength + descriptorLength + pages.readableBytes());
        int deviceSpecific = (c.writeProtection() != null ? 0x80 : 0) | 0x10; // WP, DPOFUA
        int total = headerLength + descriptorLength + pages.readableBytes();
        if (ten) {
            out.writeShort(total - 2).writeByte(0).writeByte(deviceSpecific).writeByte(llbaa ? 1 : 0).writeByte(0)
                    .writeShort(descriptorLength);
        } else {
            out.writeByte(total - 1).writeByte(0).writeByte(deviceSpecific).writeByte(descriptorLength);
        }
        if (descriptorLength == 8) {
            long blocks = Math.min(store.blockCount(), 0xffffffffL);
            out.writeInt((int) blocks).writeInt(store.blockSize() & 0xffffff);
        } else if (descriptorLength == 16) {
            out.writeLong(store.blockCount()).writeInt(0).writeInt(store.blockSize());
        }
        out.writeBytes(pages);
        pages.release();
        return CommandResult.good(ParameterData.truncated(out, allocationLength));
    }

    /** One mode page with the values of page control {@code pc}, or null when the page is not supported. */
    static byte[] page(int page, int pc, CommandContext context) {
        byte[] d = switch (page) {
            case PAGE_READ_WRITE_ERROR_RECOVERY -> new byte[12];
            case PAGE_CACHING -> new byte[20];
            case PAGE_CONTROL -> new byte[12];
            case PAGE_INFORMATIONAL_EXCEPTIONS -> new byte[12];
            default -> null;
        };
        if (d == null) {
            return null;
        }
        d[0] = (byte) page;
        d[1] = (byte) (d.length - 2);
        if (pc == PC_CHANGEABLE) {
            if (page == PAGE_CONTROL) {
                d[4] = CONTROL_SWP;
            }
            return d;
        }
        switch (page) {
            case PAGE_READ_WRITE_ERROR_RECOVERY -> d[2] = (byte) 0x80; // AWRE
            case PAGE_CACHING -> d[2] = (byte) (context.store().writeCacheEnabled() ? 0x04 : 0x00); // WCE
            case PAGE_CONTROL -> {
                d[3] = 0x10;                                 // QUEUE ALGORITHM MODIFIER 1: unrestricted reordering
                d[4] = (byte) (pc == PC_CURRENT && context.softwareWriteProtect() ? CONTROL_SWP : 0);
                d[8] = (byte) 0xff;                          // BUSY TIMEOUT PERIOD: unlimited
                d[9] = (byte) 0xff;
            }
            default -> {
            }
        }
        return d;
    }
}
