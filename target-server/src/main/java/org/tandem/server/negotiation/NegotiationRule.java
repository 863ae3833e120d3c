package org.tandem.server.negotiation;

/** How a key's result is computed from the two sides' values (RFC 7143 sections 6.2.1 and 6.2.2). */
public enum NegotiationRule {
    /** The lower of the two numbers. */
    MINIMUM,
    /** The higher of the two numbers. */
    MAXIMUM,
    /** Yes if either side says Yes. */
    BOOLEAN_OR,
    /** Yes only if both sides say Yes. */
    BOOLEAN_AND,
    /** The first value of the offered list that the responder supports. */
    LIST,
    /** Each side states its own value; nothing is agreed. */
    DECLARATIVE,
    /** Not a key: a directive of the target's own in ietd.conf, never sent, and NotUnderstood when received. */
    TARGET_LOCAL
}
