/** What a logical unit keeps per I_T nexus: persistent and SPC-2 reservations (SPC-5 section 5.14), how each
 * command fares against them, where their changes are mirrored, and pending unit attentions (SAM-5 5.14). */
package org.tandem.scsi.reservation;
