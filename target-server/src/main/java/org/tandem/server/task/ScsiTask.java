package org.tandem.server.task;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.scsi.lu.ScsiDevice;

import java.util.concurrent.CompletableFuture;

/**
 * A SCSI task from command to response. For writes it gathers the data-out buffer without copying: each Data-Out
 * PDU's data becomes one component, in offset order (DataPDUInOrder and DataSequenceInOrder are Yes). Lives on
 * its connection's event loop.
 */
public final class ScsiTask {
    private final ScsiCommand command;
    private final int lun;
    private final ScsiDevice unit;
    private final int targetTransferTag;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long arrivalNanos = System.nanoTime();
    private CompositeByteBuf data;
    private int received;
    private int unsolicitedLimit;
    private boolean unsolicitedOpen;
    private int nextR2tOffset;
    private int r2tSn;
    private int outstandingR2ts;
    private int expectedDataSn;
    private boolean executing;
    private boolean aborted;

    /**
     * @param command the command; its CDB and fields are kept, its data segment is not (see {@link #append})
     * @param unit    what the LUN field addresses: a logical unit, or the answers of a LUN without one
     */
    public ScsiTask(ScsiCommand command, int lun, ScsiDevice unit, int targetTransferTag) {
        this.command = command;
        this.lun = lun;
        this.unit = unit;
        this.targetTransferTag = targetTransferTag;
    }

    /** When the command arrived ({@link System#nanoTime()}), for the session's latency histogram. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    public ScsiCommand command() {
        return command;
    }

    public int initiatorTaskTag() {
        return command.initiatorTaskTag();
    }

    public int lun() {
        return lun;
    }

    public ScsiDevice unit() {
        return unit;
    }

    public int targetTransferTag() {
        return targetTransferTag;
    }

    public int expectedLength() {
        return command.expectedDataTransferLength();
    }

    public int received() {
        return received;
    }

    /** Appends the next data at {@link #received()}; takes ownership of {@code segment}. */
    public void append(ByteBuf segment) {
        if (data == null) {
            data = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        }
        received += segment.readableBytes();
        data.addComponent(true, segment);
    }

    /** Hands the gathered data over (the caller owns it); empty when none arrived. */
    public ByteBuf takeData() {
        ByteBuf d = data != null ? data : Unpooled.EMPTY_BUFFER;
        data = null;
        return d;
    }

    /** Sets how far unsolicited data (immediate plus unsolicited Data-Out) may reach, and whether Data-Out
     * without an R2T may still come. */
    public void unsolicited(int limit, boolean open) {
        this.unsolicitedLimit = limit;
        this.unsolicitedOpen = open;
    }

    public int unsolicitedLimit() {
        return unsolicitedLimit;
    }

    /**
     * Checks a Data-Out's DataSN: numbered from 0 within each sequence (the unsolicited data, or one R2T's burst),
     * RFC 7143 section 11.7.5. A sequence ends with the F bit.
     */
    public boolean acceptDataSn(int dataSn, boolean endsSequence) {
        if (dataSn != expectedDataSn) {
            return false;
        }
        expectedDataSn = endsSequence ? 0 : expectedDataSn + 1;
        return true;
    }

    public boolean unsolicitedOpen() {
        return unsolicitedOpen;
    }

    public void closeUnsolicited() {
        unsolicitedOpen = false;
    }

    public boolean allDataReceived() {
        return received >= expectedLength();
    }

    public int nextR2tOffset() {
        return nextR2tOffset;
    }

    /** Records an R2T for {@code length} bytes at {@link #nextR2tOffset()}; returns its R2TSN. */
    public int issueR2t(int length) {
        nextR2tOffset += length;
        outstandingR2ts++;
        return r2tSn++;
    }

    public void startR2tsAt(int offset) {
        nextR2tOffset = offset;
    }

    public void r2tAnswered() {
        outstandingR2ts--;
    }

    public int outstandingR2ts() {
        return outstandingR2ts;
    }

    public boolean executing() {
        return executing;
    }

    public void executing(boolean executing) {
        this.executing = executing;
    }

    public boolean aborted() {
        return aborted;
    }

    /** Releases the data gathered so far, for a task that will be answered without executing. */
    public void abortData() {
        if (data != null) {
            data.release();
            data = null;
        }
    }

    /** Marks the task aborted: its response will not be sent; gathered data is released now. */
    public void abort() {
        aborted = true;
        abortData();
        if (!executing) {
            done.complete(null);
        }
    }

    /** Completes when the task has finished or was aborted and nothing of it runs any more. */
    public CompletableFuture<Void> done() {
        return done;
    }
}
