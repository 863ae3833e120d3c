/**
 * DRBD through its own tools: drbdadm to promote and demote, drbdsetup status --json (DRBD 9) or drbdadm
 * role/dstate (8.x) to read roles and disk states. A node never serves a LUN whose resource is not Primary.
 */
package org.tandem.ha.drbd;
