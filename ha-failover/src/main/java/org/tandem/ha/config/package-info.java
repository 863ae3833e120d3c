/**
 * The cluster's configuration in the Heartbeat tradition: ha.cf (nodes, timings, links, tie-breaker, fencing),
 * authkeys (the HMAC key) and haresources (resource groups). Bad lines fail start-up with file, line and reason.
 */
package org.tandem.ha.config;
