/** Big-endian field reads from a CDB or parameter list, and parameter data cut to the CDB's ALLOCATION LENGTH
 * (SPC-5 section 4.2.5.6). Imports nothing of Tandem. */
package org.tandem.scsi.cdb;
