/** Login and text negotiation of the keys of RFC 7143 section 13: one table row per key with its rule, range,
 * default and phase, a negotiator that answers an initiator's offers, and the immutable result. */
package org.tandem.server.negotiation;
