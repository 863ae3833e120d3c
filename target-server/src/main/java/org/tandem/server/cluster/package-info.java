/**
 * The target's side of the cluster: what starting and releasing a resource group does to DRBD, the LUNs, the
 * sessions and the floating addresses, and the wiring of a cluster node into the daemon.
 */
package org.tandem.server.cluster;
