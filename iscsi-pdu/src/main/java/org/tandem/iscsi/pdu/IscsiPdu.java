package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One iSCSI PDU. Records are immutable; those that carry a data segment own exactly one reference to it.
 * Whoever receives a PDU (the session, or the encoder when a PDU is written) releases it with
 * {@link #release()}; nobody else does.
 */
public sealed interface IscsiPdu permits NopOut, ScsiCommand, TaskManagementRequest, LoginRequest, TextRequest,
        DataOut, LogoutRequest, SnackRequest, NopIn, ScsiResponse, TaskManagementResponse, LoginResponse,
        TextResponse, DataIn, LogoutResponse, ReadyToTransfer, AsyncMessage, Reject {

    Opcode opcode();

    /** The I bit of byte 0: delivered for immediate execution, outside the CmdSN order. */
    default boolean immediate() {
        return false;
    }

    int initiatorTaskTag();

    /** The data segment without padding or digest; empty for PDUs that carry none. Owned by this PDU. */
    default ByteBuf data() {
        return Unpooled.EMPTY_BUFFER;
    }

    /** The Additional Header Segments, already laid out as on the wire (a multiple of four bytes). */
    default ByteBuf additionalHeaders() {
        return Unpooled.EMPTY_BUFFER;
    }

    /**
     * Writes this PDU's 48-byte BHS at the writer index of {@code out}. TotalAHSLength and DataSegmentLength
     * are left zero: the encoder fills them in from {@link #additionalHeaders()} and {@link #data()}.
     */
    void writeBhs(ByteBuf out);

    /** Releases the data segment. Call once, by the owner. */
    default void release() {
        data().release();
    }
}
