/** One SCSI task of a session: its command, the write data gathered from immediate data, unsolicited Data-Out
 * and R2T bursts, and whether it was aborted. */
package org.tandem.server.task;
