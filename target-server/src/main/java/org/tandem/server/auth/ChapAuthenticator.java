package org.tandem.server.auth;

import org.tandem.iscsi.text.Decoded;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.iscsi.text.TextValues;
import org.tandem.server.config.ChapAccount;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The target's side of one CHAP exchange: choose CHAP_A from the initiator's list, send CHAP_I and CHAP_C, check
 * CHAP_N/CHAP_R against the IncomingUser accounts, and, when the initiator sends its own CHAP_I/CHAP_C (mutual
 * CHAP), answer with the OutgoingUser account. A challenge equal to ours (a reflection attack) fails.
 * <p>
 * Encodings (RFC 7143 sections 6.1 and 12.1.3), all read by {@link TextValues}: CHAP_A's list items and CHAP_I
 * are numerical-values, decimal or hex ("0x"/"0X"); CHAP_C and CHAP_R are binary-values in hex ("0x"/"0X") or
 * base64 ("0b"/"0B") of at most 1024 bytes; CHAP_N is a text string, taken as it is. Tandem chooses to write
 * its own CHAP_I and CHAP_A in decimal and its CHAP_C and (mutual CHAP) CHAP_R as lower-case hex-constants,
 * whatever the initiator used: each side may pick its encoding. A malformed or out-of-range value fails the
 * authentication with the reason.
 */
public final class ChapAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 7143 section 12.1.3: the binary length of CHAP_C and CHAP_R must not exceed 1024 bytes. */
    private static final int MAX_CHAP_BINARY = 1024;
    private static final int MAX_IDENTIFIER = 255;

    private final List<ChapAccount> incoming;
    private final ChapAccount outgoing;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;
    private String authenticatedUser;
    private String mutualAs;

    public ChapAuthenticator(List<ChapAccount> incoming, ChapAccount outgoing) {
        this.incoming = incoming;
        this.outgoing = outgoing;
    }

    /** The CHAP_N that authenticated, once the exchange succeeded. */
    public String authenticatedUser() {
        return authenticatedUser;
    }

    /** The OutgoingUser the target answered a mutual challenge as, or null when CHAP was one-way (so far). */
    public String mutualAs() {
        return mutualAs;
    }

    /** The algorithm agreed by CHAP_A, or null before; for the login's log line. */
    public ChapAlgorithm algorithm() {
        return algorithm;
    }

    /** Processes the CHAP keys of one Login Request. */
    public ChapStep step(TextParameters keys) {
        if (challenge == null) {
            return chooseAlgorithm(keys.get("CHAP_A"));
        }
        return checkResponse(keys);
    }

    private ChapStep chooseAlgorithm(String offered) {
        if (offered == null) {
            return ChapStep.failed("CHAP_A missing");
        }
        for (String v : offered.split(",")) {
            // IANA's PPP authentication algorithm numbers take one byte
            if (TextValues.numericalValue(v, 0, 255) instanceof Decoded.Value<Long> n) {
                ChapAlgorithm a = ChapAlgorithm.byNumber(n.value().intValue());
                if (a != null) {
                    algorithm = a;
                    break;
                }
            }
            // not a number, or not an algorithm of ours: try the next value, as with any list key
        }
        if (algorithm == null) {
            return ChapStep.failed("no supported algorithm in CHAP_A=" + offered);
        }
        identifier = RANDOM.nextInt(256);
        challenge = new byte[algorithm.digestLength()];
        RANDOM.nextBytes(challenge);
        return ChapStep.proceed(List.of(Map.entry("CHAP_A", Integer.toString(algorithm.number())),
                Map.entry("CHAP_I", Integer.toString(identifier)),
                Map.entry("CHAP_C", TextValues.hexConstant(challenge))));
    }

    private ChapStep checkResponse(TextParameters keys) {
        String name = keys.get("CHAP_N");
        String response = keys.get("CHAP_R");
        if (name == null || response == null) {
            return ChapStep.failed("CHAP_N or CHAP_R missing");
        }
        Decoded<byte[]> decoded = TextValues.binaryValue(response, MAX_CHAP_BINARY);
        if (decoded instanceof Decoded.Invalid<byte[]> invalid) {
            return ChapStep.failed("CHAP_R malformed: " + invalid.reason());
        }
        byte[] got = decoded.orElseThrow();
        boolean ok = false;
        for (ChapAccount account : incoming) {
            if (account.name().equals(name)) {
                byte[] expected = algorithm.response(identifier, secret(account), challenge);
                ok |= MessageDigest.isEqual(expected, got);
            }
        }
        if (!ok) {
            boolean known = incoming.stream().anyMatch(a -> a.name().equals(name));
            return ChapStep.failed(known ? "wrong CHAP response for user '" + name + "' (wrong secret)"
                    : "no IncomingUser account '" + name + "'");
        }
        authenticatedUser = name;
        String initiatorId = keys.get("CHAP_I");
        String initiatorChallenge = keys.get("CHAP_C");
        if (initiatorId == null && initiatorChallenge == null) {
            return ChapStep.succeeded(List.of());
        }
        return mutual(initiatorId, initiatorChallenge);
    }

    private ChapStep mutual(String initiatorId, String initiatorChallenge) {
        if (initiatorId == null || initiatorChallenge == null) {
            return ChapStep.failed("mutual CHAP needs both CHAP_I and CHAP_C");
        }
        if (outgoing == null) {
            return ChapStep.failed("initiator asked for mutual CHAP but no OutgoingUser is configured");
        }
        Decoded<Long> id = TextValues.numericalValue(initiatorId, 0, MAX_IDENTIFIER);
        if (id instanceof Decoded.Invalid<Long> invalid) {
            return ChapStep.failed("CHAP_I malformed or out of range: " + invalid.reason());
        }
        Decoded<byte[]> decoded = TextValues.binaryValue(initiatorChallenge, MAX_CHAP_BINARY);
        if (decoded instanceof Decoded.Invalid<byte[]> invalid) {
            return ChapStep.failed("CHAP_C malformed: " + invalid.reason());
        }
        byte[] theirs = decoded.orElseThrow();
        if (MessageDigest.isEqual(theirs, challenge)) {
            return ChapStep.failed("initiator reflected the target's challenge");
        }
        byte[] answer = algorithm.response(id.orElseThrow().intValue(), secret(outgoing), theirs);
        mutualAs = outgoing.name();
        List<Map.Entry<String, String>> keys = new ArrayList<>();
        keys.add(Map.entry("CHAP_N", outgoing.name()));
        keys.add(Map.entry("CHAP_R", TextValues.hexConstant(answer)));
        return ChapStep.succeeded(keys);
    }

    private static byte[] secret(ChapAccount account) {
        return account.secret().getBytes(StandardCharsets.UTF_8);
    }
}
