/**
 * Running the outside programs a cluster depends on (drbdadm, fencing commands, ip, arping) with time limits, and
 * the threads a cluster node owns for timers and background work ({@link org.tandem.ha.exec.NodeExecutors}).
 */
package org.tandem.ha.exec;
