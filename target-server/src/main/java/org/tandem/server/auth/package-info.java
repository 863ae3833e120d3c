/** CHAP authentication of the login's security stage (RFC 7143 section 12.1.3, RFC 1994): one-way and mutual,
 * with the digests IANA numbers 5 (MD5), 6 (SHA-1), 7 (SHA-256) and 8 (SHA3-256). */
package org.tandem.server.auth;
