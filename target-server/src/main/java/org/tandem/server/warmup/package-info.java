/**
 * The start-up warm-up: a few loopback iSCSI sessions through the daemon's own login and command code, with a
 * private target, so that a cluster node's first takeover runs code that is already loaded, linked and has run once.
 */
package org.tandem.server.warmup;
