/** Persistent reservations (SPC-5 section 5.14): the registrations and reservation of one logical unit and
 * the PERSISTENT RESERVE IN service actions that report them. */
package org.tandem.scsi.pr;
