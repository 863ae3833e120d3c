/**
 * Live counters of I/O: commands, bytes, errors and latency histograms, kept without locks so the I/O path pays
 * a few atomic adds. Readers take snapshots; the admin endpoint and /metrics print them.
 */
package org.tandem.scsi.stats;
