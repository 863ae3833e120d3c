/** The SAM-5 values a transport and a logical unit exchange: the I_T nexus, the LUN field (section 4.7), the command
 * request, its result and status (section 5.3), and the identity a unit reports. Imports only {@code sense}. */
package org.tandem.scsi.sam;
