/**
 * Who is alive: per-link and per-peer liveness from verified heartbeats, with Heartbeat's warntime, deadtime and
 * initdead. Pure logic on a clock the caller passes in, so tests run in microseconds and decide every edge.
 */
package org.tandem.ha.membership;
