/** The command registry: one descriptor per opcode and service action holding the handler, CDB length, usage
 * data and reservation rule, read alike by dispatch and REPORT SUPPORTED OPERATION CODES; and the
 * {@link org.tandem.scsi.command.CommandContext} through which a handler sees its logical unit. */
package org.tandem.scsi.command;
