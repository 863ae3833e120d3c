/**
 * The admin REST endpoint: Netty's HTTP codec, bearer-token authentication, optional TLS, JSON with Jackson,
 * Prometheus metrics and the OpenAPI document. It translates HTTP to the control interface and back.
 */
package org.tandem.server.admin;
