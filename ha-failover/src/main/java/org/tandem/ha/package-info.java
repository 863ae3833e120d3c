/**
 * The cluster of two servers: heartbeat, membership, fencing, DRBD, floating portal addresses and who serves
 * which resource group. It drives the target only through interfaces it defines itself
 * ({@link org.tandem.ha.takeover.ServedTargets}), so the target runs fine without it.
 */
package org.tandem.ha;
