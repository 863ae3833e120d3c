/**
 * DRBD through its own tools and files: drbdadm to promote (dropping a fenced peer's stale connection first) and
 * demote, /proc/drbd (8.x), drbdsetup status --json (9) or drbdadm role/dstate/cstate to read roles and disk
 * states. A node never serves a LUN whose resource is not Primary.
 */
package org.tandem.ha.drbd;
