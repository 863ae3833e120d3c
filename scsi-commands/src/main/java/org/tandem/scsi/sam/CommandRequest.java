package org.tandem.scsi.sam;

import io.netty.buffer.ByteBuf;

/**
 * One SCSI command as the logical unit sees it: who sent it, its CDB, and the data the initiator sent with it
 * (empty for commands without a data-out phase). The logical unit takes ownership of {@code dataOut}.
 */
public record CommandRequest(ItNexus nexus, byte[] cdb, ByteBuf dataOut) {
    public int opcode() {
        return cdb[0] & 0xff;
    }
}
