package org.tandem.iscsi.text;

/**
 * How a numerical or binary value of a text key is written (RFC 7143 section 6.1). A responder may answer in any
 * encoding the value's type allows, so the encoding matters only for logging and for tests.
 */
public enum ValueEncoding {
    /** decimal-constant: "0", or a digit 1-9 followed by digits; numerical values only here. */
    DECIMAL_CONSTANT,
    /** hex-constant: "0x" or "0X" followed by one or more hex digits of either case. */
    HEX_CONSTANT,
    /** base64-constant: "0b" or "0B" followed by RFC 4648 base64, padding optional; binary values only. */
    BASE64_CONSTANT
}
