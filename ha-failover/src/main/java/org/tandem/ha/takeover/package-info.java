/**
 * Who serves which resource group, and the ordered steps that move one: fence, promote DRBD, LUNs online,
 * addresses up; and back: addresses down, sessions ended, LUNs offline, demote. Safety before liveness: a node
 * never starts a group the peer may still hold, and takes over from a silent peer only after fencing it.
 */
package org.tandem.ha.takeover;
