/**
 * LVM volume groups that move with a cluster group (LVM on top of DRBD): activated after DRBD is Primary,
 * deactivated before it is demoted, each checked with lvs.
 */
package org.tandem.ha.lvm;
