/**
 * The cluster's configuration in the Heartbeat tradition: ha.cf (nodes, timings, links, tie-breaker, fencing),
 * authkeys (the HMAC key) and haresources (resource groups), with this node's routes, which place an address
 * haresources gives without interface or prefix. Bad lines fail start-up with file, line and reason.
 */
package org.tandem.ha.config;
