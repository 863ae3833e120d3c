/** The logical unit: identity, unit attentions per I_T nexus, and the dispatch of a CDB to its handler on the
 * I/O executor. Knows nothing of iSCSI; a transport reaches it through {@link org.tandem.scsi.sam.ItNexus}. */
package org.tandem.scsi.lu;
