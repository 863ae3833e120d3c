package org.tandem.scsi.sam;

/**
 * An I_T nexus (SAM-5): the initiator port and the target port a command travels between. For iSCSI the initiator
 * port name is "iqn...,i,0x" + ISID and the target port name "iqn...,t,0x" + portal group tag (RFC 7143 section
 * 4.4.1); the transport builds them, the SCSI layer only compares them.
 */
public record ItNexus(String initiatorPortName, String targetPortName) {
}
