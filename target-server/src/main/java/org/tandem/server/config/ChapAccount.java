package org.tandem.server.config;

/** A CHAP account of an IncomingUser or OutgoingUser line. */
public record ChapAccount(String name, String secret) {
    @Override
    public String toString() {
        return "ChapAccount[" + name + "]"; // never log a secret
    }
}
