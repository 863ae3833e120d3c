package org.tandem.scsi.sam;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a logical unit says it is, derived only from configuration (ARCHITECTURE rule 3): both servers of a pair
 * compute the same identity for the same target and LUN, so an initiator sees one device across failover.
 *
 * @param targetName     the iSCSI target name (a SCSI target device name)
 * @param targetPortName the target port name, "iqn...,t,0x" + portal group tag
 * @param relativePort   the relative target port identifier
 * @param lun            the logical unit number
 * @param deviceId       ScsiId, or derived: goes into the T10 vendor ID designator of VPD 0x83
 * @param serialNumber   ScsiSN, or derived: VPD 0x80
 * @param naa            the 8-byte NAA locally assigned designator (NAA 3) of VPD 0x83
 */
public record LunIdentity(String targetName, String targetPortName, int relativePort, int lun, String deviceId,
                          String serialNumber, byte[] naa) {
    public static final String VENDOR = "TANDEM";
    public static final String PRODUCT = "VIRTUAL-DISK";
    public static final String REVISION = "0001";

    /** Builds the identity, deriving what ScsiId/ScsiSN (either may be null) leave open from target and LUN. */
    public static LunIdentity derive(String targetName, int portalGroupTag, int lun, String scsiId, String scsiSn) {
        String seed = scsiId != null ? scsiId : targetName + "/" + lun;
        byte[] hash = sha256(seed);
        String hex = HexFormat.of().formatHex(hash);
        String deviceId = scsiId != null ? scsiId : hex.substring(0, 16);
        String serial = scsiSn != null ? scsiSn : hex.substring(16, 32);
        byte[] naa = new byte[8];
        System.arraycopy(hash, 24, naa, 0, 8);
        naa[0] = (byte) (0x30 | (naa[0] & 0x0f)); // NAA 3: locally assigned, 60 bits of our own
        String portName = targetName + ",t,0x" + String.format("%04x", portalGroupTag);
        return new LunIdentity(targetName, portName, 1, lun, deviceId, serial, naa);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
