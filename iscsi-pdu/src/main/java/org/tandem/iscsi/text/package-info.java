/**
 * The key=value text format of Login and Text PDUs (RFC 7143 section 6) and the value encodings
 * (numbers, binary hex/base64, lists) that the keys use.
 */
package org.tandem.iscsi.text;
