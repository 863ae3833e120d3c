package org.tandem.scsi.spc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.tandem.lun.spi.BlockStore;
import org.tandem.scsi.cdb.Cdb;
import org.tandem.scsi.cdb.ParameterData;
import org.tandem.scsi.command.CommandContext;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.LunIdentity;
import org.tandem.scsi.sbc.BlockLimits;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/** INQUIRY (SPC-5 section 6.7): standard data and the vital product data pages. */
public final class Inquiry {
    static final int PAGE_SUPPORTED_VPD = 0x00;
    static final int PAGE_UNIT_SERIAL_NUMBER = 0x80;
    static final int PAGE_DEVICE_IDENTIFICATION = 0x83;
    static final int PAGE_BLOCK_LIMITS = 0xb0;
    static final int PAGE_BLOCK_DEVICE_CHARACTERISTICS = 0xb1;
    static final int PAGE_LOGICAL_BLOCK_PROVISIONING = 0xb2;
    private static final int[] SUPPORTED_PAGES = {PAGE_SUPPORTED_VPD, PAGE_UNIT_SERIAL_NUMBER,
            PAGE_DEVICE_IDENTIFICATION, PAGE_BLOCK_LIMITS, PAGE_BLOCK_DEVICE_CHARACTERISTICS,
            PAGE_LOGICAL_BLOCK_PROVISIONING};

    private static final int STANDARD_LENGTH = 96;
    private static final int[] VERSION_DESCRIPTORS = {0x00a0 /* SAM-5 */, 0x0960 /* iSCSI */,
            0x0460 /* SPC-4 */, 0x04c0 /* SBC-3 */};

    private static final int CODE_SET_BINARY = 1;
    private static final int CODE_SET_ASCII = 2;
    private static final int CODE_SET_UTF8 = 3;
    private static final int PROTOCOL_ISCSI = 5;
    private static final int ASSOCIATION_LU = 0;
    private static final int ASSOCIATION_PORT = 1;
    private static final int ASSOCIATION_TARGET = 2;
    private static final int TYPE_T10_VENDOR = 1;
    private static final int TYPE_NAA = 3;
    private static final int TYPE_RELATIVE_PORT = 4;
    private static final int TYPE_TARGET_PORT_GROUP = 5;
    private static final int TYPE_SCSI_NAME = 8;
    /** Standard data byte 5, TPGS = 01b: implicit ALUA only (the cluster, not the initiator, moves a LUN). */
    private static final int TPGS_IMPLICIT = 0x10;

    private Inquiry() {
    }

    public static CompletionStage<CommandResult> execute(CommandContext c) {
        byte[] cdb = c.cdb();
        boolean evpd = (cdb[1] & 0x01) != 0;
        if ((cdb[1] & 0x02) != 0) {
            return CommandContext.done(CommandResult.invalidField(1, 1)); // CMDDT is obsolete
        }
        int page = Cdb.u8(cdb, 2);
        int allocationLength = Cdb.u16(cdb, 3);
        if (!evpd) {
            if (page != 0) {
                return CommandContext.done(CommandResult.invalidField(2, -1));
            }
            byte[] d = standard();
            d[5] = (byte) TPGS_IMPLICIT;  // asymmetric access: REPORT TARGET PORT GROUPS tells active from standby
            return CommandContext.done(CommandResult.good(ParameterData.truncated(d, allocationLength)));
        }
        LunIdentity id = c.identity();
        BlockStore store = c.store();
        byte[] data = switch (page) {
            case PAGE_SUPPORTED_VPD -> supportedPages();
            case PAGE_UNIT_SERIAL_NUMBER -> unitSerialNumber(id);
            case PAGE_DEVICE_IDENTIFICATION -> deviceIdentification(id);
            case PAGE_BLOCK_LIMITS -> blockLimits(store);
            case PAGE_BLOCK_DEVICE_CHARACTERISTICS -> blockDeviceCharacteristics();
            case PAGE_LOGICAL_BLOCK_PROVISIONING -> logicalBlockProvisioning();
            default -> null;
        };
        if (data == null) {
            return CommandContext.done(CommandResult.invalidField(2, -1));
        }
        return CommandContext.done(CommandResult.good(ParameterData.truncated(data, allocationLength)));
    }

    /** Standard INQUIRY data for a direct-access block device; also what a LUN-less address answers. */
    public static byte[] standard() {
        byte[] d = new byte[STANDARD_LENGTH];
        d[2] = 0x06;                      // VERSION: SPC-4
        d[3] = 0x12;                      // HISUP, RESPONSE DATA FORMAT 2
        d[4] = (byte) (STANDARD_LENGTH - 5);
        d[7] = 0x02;                      // CMDQUE: full task management model
        ascii(d, 8, LunIdentity.VENDOR, 8);
        ascii(d, 16, LunIdentity.PRODUCT, 16);
        ascii(d, 32, LunIdentity.REVISION, 4);
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            d[58 + 2 * i] = (byte) (VERSION_DESCRIPTORS[i] >> 8);
            d[59 + 2 * i] = (byte) VERSION_DESCRIPTORS[i];
        }
        return d;
    }

    private static byte[] supportedPages() {
        byte[] d = new byte[4 + SUPPORTED_PAGES.length];
        d[3] = (byte) SUPPORTED_PAGES.length;
        for (int i = 0; i < SUPPORTED_PAGES.length; i++) {
            d[4 + i] = (byte) SUPPORTED_PAGES[i];
        }
        return d;
    }

    private static byte[] unitSerialNumber(LunIdentity id) {
        byte[] serial = id.serialNumber().getBytes(StandardCharsets.US_ASCII);
        byte[] d = new byte[4 + serial.length];
        d[1] = (byte) PAGE_UNIT_SERIAL_NUMBER;
        d[3] = (byte) serial.length;
        System.arraycopy(serial, 0, d, 4, serial.length);
        return d;
    }

    /**
     * Device identification: NAA and T10 vendor ID for the logical unit, the SCSI name and relative port of the
     * target port, and the SCSI name of the target device. Multipath software matches disks on the first two.
     */
    private static byte[] deviceIdentification(LunIdentity id) {
        ByteBuf b = Unpooled.buffer();
        b.writeZero(4); // header, filled in below
        designator(b, CODE_SET_BINARY, false, ASSOCIATION_LU, TYPE_NAA, id.naa());
        byte[] t10 = new byte[8 + id.deviceId().length()];
        ascii(t10, 0, LunIdentity.VENDOR, 8);
        System.arraycopy(id.deviceId().getBytes(StandardCharsets.US_ASCII), 0, t10, 8, id.deviceId().length());
        designator(b, CODE_SET_ASCII, false, ASSOCIATION_LU, TYPE_T10_VENDOR, t10);
        designator(b, CODE_SET_UTF8, true, ASSOCIATION_PORT, TYPE_SCSI_NAME, scsiName(id.targetPortName()));
        designator(b, CODE_SET_BINARY, true, ASSOCIATION_PORT, TYPE_RELATIVE_PORT,
                new byte[] {0, 0, (byte) (id.relativePort() >> 8), (byte) id.relativePort()});
        designator(b, CODE_SET_BINARY, true, ASSOCIATION_PORT, TYPE_TARGET_PORT_GROUP,
                new byte[] {0, 0, (byte) (ReportTargetPortGroups.GROUP >> 8), (byte) ReportTargetPortGroups.GROUP});
        designator(b, CODE_SET_UTF8, true, ASSOCIATION_TARGET, TYPE_SCSI_NAME, scsiName(id.targetName()));
        b.setByte(1, PAGE_DEVICE_IDENTIFICATION);
        b.setShort(2, b.writerIndex() - 4);
        byte[] d = new byte[b.writerIndex()];
        b.getBytes(0, d);
        return d;
    }

    private static void designator(ByteBuf b, int codeSet, boolean piv, int association, int type, byte[] value) {
        b.writeByte((piv ? PROTOCOL_ISCSI << 4 : 0) | codeSet);
        b.writeByte((piv ? 0x80 : 0) | (association << 4) | type);
        b.writeByte(0);
        b.writeByte(value.length);
        b.writeBytes(value);
    }

    /** A SCSI name string: UTF-8, NUL-terminated, padded with NULs to a multiple of four bytes (SPC-5 7.7.6.11). */
    private static byte[] scsiName(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        int length = (utf8.length + 1 + 3) & ~3;
        byte[] d = new byte[length];
        System.arraycopy(utf8, 0, d, 0, utf8.length);
        return d;
    }

    private static byte[] blockLimits(BlockStore store) {
        byte[] d = new byte[64];
        d[1] = (byte) PAGE_BLOCK_LIMITS;
        d[3] = 0x3c;
        d[4] = 0x01;                                                         // WSNZ: WRITE SAME of 0 blocks refused
        d[5] = (byte) BlockLimits.MAXIMUM_COMPARE_AND_WRITE_BLOCKS;          // MAXIMUM COMPARE AND WRITE LENGTH
        putInt(d, 36, BlockLimits.MAXIMUM_WRITE_SAME_BLOCKS, 8);             // MAXIMUM WRITE SAME LENGTH
        putInt(d, 6, 1, 2);                                                  // OPTIMAL TRANSFER LENGTH GRANULARITY
        putInt(d, 8, BlockLimits.maximumTransferBlocks(store.blockSize()), 4); // MAXIMUM TRANSFER LENGTH
        putInt(d, 12, BlockLimits.optimalTransferBlocks(store.blockSize()), 4); // OPTIMAL TRANSFER LENGTH
        return d;
    }

    private static byte[] blockDeviceCharacteristics() {
        byte[] d = new byte[64];
        d[1] = (byte) PAGE_BLOCK_DEVICE_CHARACTERISTICS;
        d[3] = 0x3c;
        return d; // rotation rate and form factor not reported: a LUN may sit on anything
    }

    private static byte[] logicalBlockProvisioning() {
        byte[] d = new byte[8];
        d[1] = (byte) PAGE_LOGICAL_BLOCK_PROVISIONING;
        d[3] = 4; // fully provisioned: no UNMAP, no WRITE SAME unmap
        return d;
    }

    static void ascii(byte[] d, int offset, String s, int width) {
        for (int i = 0; i < width; i++) {
            d[offset + i] = (byte) (i < s.length() ? s.charAt(i) : ' ');
        }
    }

    static void putInt(byte[] d, int offset, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            d[offset + i] = (byte) (value >>> (8 * (bytes - 1 - i)));
        }
    }
}
