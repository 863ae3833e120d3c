package org.tandem.target.auth;

import org.tandem.iscsi.text.BinaryValue;
import org.tandem.iscsi.text.TextFormatException;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.target.config.ChapAccount;

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
 */
public final class ChapAuthenticator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int MAX_CHALLENGE = 1024;

    private final List<ChapAccount> incoming;
    private final ChapAccount outgoing;
    private ChapAlgorithm algorithm;
    private int identifier;
    private byte[] challenge;
    private String authenticatedUser;

    public ChapAuthenticator(List<ChapAccount> incoming, ChapAccount outgoing) {
        this.incoming = incoming;
        this.outgoing = outgoing;
    }

    /** The CHAP_N that authenticated, once the exchange succeeded. */
    public String authenticatedUser() {
        return authenticatedUser;
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
            try {
                ChapAlgorithm a = ChapAlgorithm.byNumber(Integer.parseInt(v.strip()));
                if (a != null) {
                    algorithm = a;
                    break;
                }
            } catch (NumberFormatException e) {
                // not a number: try the next value, as with any list key
            }
        }
        if (algorithm == null) {
            return ChapStep.failed("no supported algorithm in CHAP_A=" + offered);
        }
        identifier = RANDOM.nextInt(256);
        challenge = new byte[algorithm.digestLength()];
        RANDOM.nextBytes(challenge);
        return ChapStep.proceed(List.of(Map.entry("CHAP_A", Integer.toString(algorithm.number())),
                Map.entry("CHAP_I", Integer.toString(identifier)),
                Map.entry("CHAP_C", BinaryValue.encodeHex(challenge))));
    }

    private ChapStep checkResponse(TextParameters keys) {
        String name = keys.get("CHAP_N");
        String response = keys.get("CHAP_R");
        if (name == null || response == null) {
            return ChapStep.failed("CHAP_N or CHAP_R missing");
        }
        byte[] got;
        try {
            got = BinaryValue.decode(response);
        } catch (TextFormatException e) {
            return ChapStep.failed("CHAP_R malformed: " + e.getMessage());
        }
        boolean ok = false;
        for (ChapAccount account : incoming) {
            if (account.name().equals(name)) {
                byte[] expected = algorithm.response(identifier, secret(account), challenge);
                ok |= MessageDigest.isEqual(expected, got);
            }
        }
        if (!ok) {
            return ChapStep.failed("wrong CHAP response for user '" + name + "'");
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
        int id;
        byte[] theirs;
        try {
            id = Integer.parseInt(initiatorId);
            theirs = BinaryValue.decode(initiatorChallenge);
        } catch (NumberFormatException | TextFormatException e) {
            return ChapStep.failed("malformed CHAP_I or CHAP_C: " + e.getMessage());
        }
        if (id < 0 || id > 255 || theirs.length == 0 || theirs.length > MAX_CHALLENGE) {
            return ChapStep.failed("CHAP_I or CHAP_C out of range");
        }
        if (MessageDigest.isEqual(theirs, challenge)) {
            return ChapStep.failed("initiator reflected the target's challenge");
        }
        byte[] answer = algorithm.response(id, secret(outgoing), theirs);
        List<Map.Entry<String, String>> keys = new ArrayList<>();
        keys.add(Map.entry("CHAP_N", outgoing.name()));
        keys.add(Map.entry("CHAP_R", BinaryValue.encodeHex(answer)));
        return ChapStep.succeeded(keys);
    }

    private static byte[] secret(ChapAccount account) {
        return account.secret().getBytes(StandardCharsets.UTF_8);
    }
}
