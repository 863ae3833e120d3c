/**
 * The target's control interface: changes to a running target (targets, LUNs, access, sessions), reload of
 * ietd.conf and saving back to it. The admin REST endpoint, SIGHUP and the HA module all drive the target
 * through here; it knows nothing of HTTP.
 */
package org.tandem.server.control;
