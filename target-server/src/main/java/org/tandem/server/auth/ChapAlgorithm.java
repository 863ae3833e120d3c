package org.tandem.server.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * CHAP digest algorithms with their IANA "PPP Authentication Algorithms" numbers, as open-iscsi and LIO use them
 * (IET and tgt took 7 for SHA-1, which is wrong).
 */
public enum ChapAlgorithm {
    MD5(5, "MD5"),
    SHA1(6, "SHA-1"),
    SHA256(7, "SHA-256"),
    SHA3_256(8, "SHA3-256");

    private final int number;
    private final String jcaName;

    ChapAlgorithm(int number, String jcaName) {
        this.number = number;
        this.jcaName = jcaName;
    }

    public int number() {
        return number;
    }

    /** The digest length, which is also the length of the challenges Tandem sends. */
    public int digestLength() {
        return newDigest().getDigestLength();
    }

    /** The name a reader knows it by (MD5, SHA-1, SHA-256, SHA3-256). */
    @Override
    public String toString() {
        return jcaName;
    }

    public static ChapAlgorithm byNumber(int number) {
        for (ChapAlgorithm a : values()) {
            if (a.number == number) {
                return a;
            }
        }
        return null;
    }

    /** The CHAP response of RFC 1994: H(identifier || secret || challenge). */
    public byte[] response(int identifier, byte[] secret, byte[] challenge) {
        MessageDigest d = newDigest();
        d.update((byte) identifier);
        d.update(secret);
        d.update(challenge);
        return d.digest();
    }

    private MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is part of every Java 17 runtime", e);
        }
    }
}
