/** SCSI errors as values: the sense reasons handlers return, the one table that maps them to sense key and
 * ASC/ASCQ (SPC-5 section 4.4), and the writer of fixed-format sense data. */
package org.tandem.scsi.sense;
