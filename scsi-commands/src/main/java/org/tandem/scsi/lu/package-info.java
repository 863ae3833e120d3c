/** The device, on top of every other package: the command table of a Tandem block LUN, the logical unit (identity,
 * dispatch of a CDB to its handler on the I/O executor) and what answers at an address without one. Knows nothing
 * of iSCSI; a transport reaches it through a {@link org.tandem.scsi.sam.LunAddress} and an
 * {@link org.tandem.scsi.sam.ItNexus}. */
package org.tandem.scsi.lu;
