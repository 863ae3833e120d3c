package org.tandem.scsi.sam;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;

/**
 * How a command ended: status, sense data (fixed format, empty unless CHECK CONDITION), data for the initiator
 * (owned by whoever holds the result), and the transfer length the CDB asked for, from which the transport
 * computes residuals (SAM-5's SPDTL): bytes to read for data-in commands, bytes to write for data-out ones.
 */
public record CommandResult(int status, byte[] sense, ByteBuf dataIn, long transferLength) {
    private static final byte[] NO_SENSE = new byte[0];

    public static CommandResult good() {
        return new CommandResult(ScsiStatus.GOOD, NO_SENSE, Unpooled.EMPTY_BUFFER, 0);
    }

    /** GOOD with data for the initiator; the transfer length is the data's length. */
    public static CommandResult good(ByteBuf data) {
        return new CommandResult(ScsiStatus.GOOD, NO_SENSE, data, data.readableBytes());
    }

    /** GOOD after a data-out transfer of {@code written} bytes. */
    public static CommandResult goodWrite(long written) {
        return new CommandResult(ScsiStatus.GOOD, NO_SENSE, Unpooled.EMPTY_BUFFER, written);
    }

    public static CommandResult status(int status) {
        return new CommandResult(status, NO_SENSE, Unpooled.EMPTY_BUFFER, 0);
    }

    public static CommandResult checkCondition(SenseReason reason) {
        return checkCondition(SenseData.of(reason));
    }

    public static CommandResult checkCondition(SenseData sense) {
        return checkCondition(sense, 0);
    }

    /** CHECK CONDITION that still reports the transfer length the CDB asked for, so residuals are right. */
    public static CommandResult checkCondition(SenseData sense, long transferLength) {
        return new CommandResult(ScsiStatus.CHECK_CONDITION, sense.toFixedFormat(), Unpooled.EMPTY_BUFFER,
                transferLength);
    }

    public static CommandResult invalidField(int field, int bit) {
        return checkCondition(SenseData.cdbField(SenseReason.INVALID_FIELD_IN_CDB, field, bit));
    }

    public boolean isGood() {
        return status == ScsiStatus.GOOD;
    }
}
