/**
 * State both servers must hold before the command that changed it completes (persistent reservations): records
 * carried in heartbeats until the peer acknowledges them.
 */
package org.tandem.ha.replication;
