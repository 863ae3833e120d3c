package org.tandem.iscsi.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * SCSI Command (RFC 7143 section 11.3). The CDB is the 16 bytes of the BHS joined with an Extended CDB AHS
 * when there is one; {@code bidirectionalReadLength} comes from the Bidirectional Read Expected Data Transfer
 * Length AHS (-1 when absent). The data segment holds immediate data.
 */
public record ScsiCommand(boolean immediate, boolean finalFlag, boolean read, boolean write,
                          ScsiTaskAttribute attribute, long logicalUnitNumber, int initiatorTaskTag,
                          int expectedDataTransferLength, int cmdSn, int expStatSn, byte[] cdb,
                          long bidirectionalReadLength, ByteBuf data) implements IscsiPdu {

    public static final int AHS_EXTENDED_CDB = 1;
    public static final int AHS_BIDIRECTIONAL_READ_LENGTH = 2;

    /**
     * Decodes the BHS and the AHS chain.
     *
     * @throws MalformedPduException when an AHS is truncated or of an unknown type
     */
    public static ScsiCommand decode(ByteBuf h, ByteBuf ahs, ByteBuf data) {
        int flags = Bhs.flags(h, 0);
        byte[] cdb = new byte[16];
        h.getBytes(32, cdb);
        long bidiReadLength = -1;
        int i = ahs.readerIndex();
        while (i < ahs.writerIndex()) {
            if (ahs.writerIndex() - i < 4) {
                throw new MalformedPduException(RejectReason.INVALID_PDU_FIELD, "truncated AHS");
            }
            int ahsLength = ahs.getUnsignedShort(i);
            int type = ahs.getUnsignedByte(i + 2) & 0x3f;
            int span = 3 + ahsLength + Bhs.padding(3 + ahsLength);
            if (i + 3 + ahsLength > ahs.writerIndex()) {
                throw new MalformedPduException(RejectReason.INVALID_PDU_FIELD, "AHS length runs past TotalAHSLength");
            }
            if (type == AHS_EXTENDED_CDB && ahsLength > 1) {
                // AHSLength counts the reserved byte plus the CDB bytes beyond the first 16.
                byte[] longCdb = new byte[16 + ahsLength - 1];
                System.arraycopy(cdb, 0, longCdb, 0, 16);
                ahs.getBytes(i + 4, longCdb, 16, ahsLength - 1);
                cdb = longCdb;
            } else if (type == AHS_BIDIRECTIONAL_READ_LENGTH && ahsLength == 5) {
                bidiReadLength = ahs.getUnsignedInt(i + 4);
            } else {
                throw new MalformedPduException(RejectReason.INVALID_PDU_FIELD, "unsupported AHS type " + type);
            }
            i += span;
        }
        return new ScsiCommand(Bhs.immediate(h, 0), (flags & 0x80) != 0, (flags & 0x40) != 0,
                (flags & 0x20) != 0, ScsiTaskAttribute.of(flags), h.getLong(8), h.getInt(16), h.getInt(20),
                h.getInt(24), h.getInt(28), cdb, bidiReadLength, data);
    }

    @Override
    public Opcode opcode() {
        return Opcode.SCSI_COMMAND;
    }

    @Override
    public ByteBuf additionalHeaders() {
        if (cdb.length <= 16 && bidirectionalReadLength < 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf ahs = Unpooled.buffer();
        if (cdb.length > 16) {
            int extra = cdb.length - 16;
            ahs.writeShort(extra + 1).writeByte(AHS_EXTENDED_CDB).writeByte(0).writeBytes(cdb, 16, extra);
            ahs.writeZero(Bhs.padding(extra));
        }
        if (bidirectionalReadLength >= 0) {
            ahs.writeShort(5).writeByte(AHS_BIDIRECTIONAL_READ_LENGTH).writeByte(0)
                    .writeInt((int) bidirectionalReadLength);
        }
        return ahs;
    }

    @Override
    public void writeBhs(ByteBuf out) {
        int flags = (finalFlag ? 0x80 : 0) | (read ? 0x40 : 0) | (write ? 0x20 : 0) | attribute.ordinal();
        Bhs.begin(out, opcode(), immediate, flags);
        int s = out.writerIndex() - Bhs.LENGTH;
        out.setLong(s + 8, logicalUnitNumber).setInt(s + 16, initiatorTaskTag)
                .setInt(s + 20, expectedDataTransferLength).setInt(s + 24, cmdSn).setInt(s + 28, expStatSn);
        out.setBytes(s + 32, cdb, 0, Math.min(16, cdb.length));
    }
}
