/** The login phase of one connection (RFC 7143 sections 6 and 11.12-11.13): security stage with CHAP or none,
 * operational negotiation, the checks that keep ISID, TSIH, CID and version constant, and a Login Response with
 * the right status class and detail for every failure. */
package org.tandem.server.login;
