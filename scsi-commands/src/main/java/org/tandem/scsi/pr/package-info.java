/** Reservation commands: PERSISTENT RESERVE IN and OUT (SPC-5 sections 6.15, 6.16) and SPC-2's RESERVE and
 * RELEASE, over the state kept in {@code reservation}. */
package org.tandem.scsi.pr;
