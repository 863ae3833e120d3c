/** Login and text negotiation of the keys of RFC 7143 section 13: one table row per key with its rule, range,
 * default and phase, and with the ietd.conf directive that sets it (the target-local directives are rows too); a
 * negotiator that answers an initiator's offers, and the immutable result. */
package org.tandem.server.negotiation;
