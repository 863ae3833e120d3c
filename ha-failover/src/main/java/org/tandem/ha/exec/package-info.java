/** Running the outside programs a cluster depends on (drbdadm, fencing commands, ip, arping) with time limits. */
package org.tandem.ha.exec;
