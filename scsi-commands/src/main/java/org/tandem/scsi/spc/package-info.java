/** Primary commands (SPC-5): INQUIRY and its VPD pages, REPORT LUNS, MODE SENSE, REQUEST SENSE, TEST UNIT READY,
 * REPORT SUPPORTED OPERATION CODES. */
package org.tandem.scsi.spc;
