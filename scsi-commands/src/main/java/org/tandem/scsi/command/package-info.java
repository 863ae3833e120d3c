/** The command registry: one descriptor per opcode and service action holding the handler, CDB length, usage
 * data and reservation rule, read alike by dispatch and REPORT SUPPORTED OPERATION CODES. */
package org.tandem.scsi.command;
