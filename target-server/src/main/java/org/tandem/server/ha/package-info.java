/**
 * The target's side of the cluster, and the only package besides the launcher that imports ha-failover: what
 * starting and releasing a resource group does to the LUNs and the sessions, the cluster node as
 * {@link org.tandem.server.control.ClusterControl}, and the wiring of a cluster node into the daemon.
 */
package org.tandem.server.ha;
