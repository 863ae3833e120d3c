package org.tandem.server.negotiation;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.text.Decoded;
import org.tandem.iscsi.text.TextValues;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Answers an initiator's offers during login (RFC 7143 section 6): each negotiated key gets the result of its
 * rule against the target's value, a malformed or out-of-range value gets "Reject", an unknown key
 * "NotUnderstood", and a key that does not apply to the session type "Irrelevant". One negotiator per login;
 * not thread-safe (it lives on the connection's event loop).
 * <p>
 * Numeric keys take any numerical-value of RFC 7143 section 6.1 (decimal, or hex with "0x"/"0X"), read by
 * {@link TextValues}; the agreed numbers are kept as numbers and answered in decimal. Why a value was rejected is
 * logged, since the "Reject" answer carries no reason.
 */
public final class Negotiator {
    private static final Logger LOG = LogManager.getLogger(Negotiator.class);
    private static final String REJECT = "Reject";
    private static final String IRRELEVANT = "Irrelevant";
    private static final String NOT_UNDERSTOOD = "NotUnderstood";
    /** The RFC defaults of the numeric keys, read once. */
    private static final Map<IscsiKey, Integer> DEFAULT_NUMBERS = numbers(IscsiKey::defaultValue);

    private final Map<IscsiKey, String> targetValues;
    private final Map<IscsiKey, Integer> targetNumbers;
    private final Map<IscsiKey, String> agreed = new EnumMap<>(IscsiKey.class);
    private final Map<IscsiKey, Integer> agreedNumbers = new EnumMap<>(IscsiKey.class);
    private final Set<String> offeredKeys = new HashSet<>();
    private final int targetMaxXmit;
    private boolean discovery;
    private boolean leading = true;
    private boolean declaredMaxRecv;

    /**
     * @param targetValues  what the target supports: limits for numeric keys, Yes/No for booleans, comma lists of
     *                      supported values for list keys, the target's MaxRecvDataSegmentLength
     * @param targetMaxXmit the target's cap on the PDUs it sends (MaxXmitDataSegmentLength)
     * @throws IllegalArgumentException when a numeric key's value is not a numerical-value in the key's range
     */
    public Negotiator(Map<IscsiKey, String> targetValues, int targetMaxXmit) {
        this.targetValues = new EnumMap<>(targetValues);
        this.targetMaxXmit = targetMaxXmit;
        this.targetNumbers = numbers(this::targetValue);
    }

    /** Reads the numeric keys' values as {@code values} gives them (null: none), each checked against its range. */
    private static Map<IscsiKey, Integer> numbers(Function<IscsiKey, String> values) {
        Map<IscsiKey, Integer> numbers = new EnumMap<>(IscsiKey.class);
        for (IscsiKey key : IscsiKey.values()) {
            String v = values.apply(key);
            if (key.numeric() && v != null) {
                Decoded<Long> n = TextValues.numericalValue(v, key.min(), key.max());
                if (n instanceof Decoded.Invalid<Long> invalid) {
                    throw new IllegalArgumentException(key.keyName() + ": " + invalid.reason());
                }
                numbers.put(key, n.orElseThrow().intValue());
            }
        }
        return numbers;
    }

    /** Marks the session as a discovery session: session-wide operational keys become irrelevant. */
    public void discovery(boolean discovery) {
        this.discovery = discovery;
    }

    /**
     * Marks the login as one that adds a connection to an existing session: leading-only keys are then
     * irrelevant, since the session already agreed them (RFC 7143 section 6.1, "LO").
     */
    public void nonLeading() {
        this.leading = false;
    }

    /** Sets the declarative keys the login itself read (InitiatorName, TargetName, SessionType...). */
    public void declare(IscsiKey key, String value) {
        agreed.put(key, value);
    }

    /**
     * Answers a batch of offered keys, in the order offered.
     *
     * @throws NegotiationException when a key is offered twice (RFC 7143 section 6.2: a login error)
     */
    public List<Map.Entry<String, String>> answer(List<Map.Entry<String, String>> offers) throws NegotiationException {
        List<Map.Entry<String, String>> answers = new ArrayList<>();
        for (Map.Entry<String, String> offer : offers) {
            String name = offer.getKey();
            String value = offer.getValue();
            if (!offeredKeys.add(name)) {
                if (repeatsIdentity(name, value)) {
                    // libiscsi repeats InitiatorName, TargetName and SessionType in every security-stage request
                    // (after the target answers AuthMethod=None to its CHAP,None, for one); tgt and LIO take it.
                    continue;
                }
                throw new NegotiationException("key " + name + " offered twice");
            }
            if (value.equals(NOT_UNDERSTOOD) || value.equals(IRRELEVANT) || value.equals(REJECT)) {
                continue; // answers to offers of ours; Tandem makes none it needs answered
            }
            IscsiKey key = IscsiKey.byName(name);
            if (key == null) {
                if (name.equals("OFMarkInt") || name.equals("IFMarkInt")) {
                    answers.add(Map.entry(name, IRRELEVANT)); // markers are off, so their interval does not apply
                } else {
                    answers.add(Map.entry(name, NOT_UNDERSTOOD));
                }
                continue;
            }
            String answer = answer(key, value);
            if (answer != null) {
                answers.add(Map.entry(name, answer));
            }
        }
        return answers;
    }

    /** A login identity key declared again with the value it already has: harmless, so not an error. */
    private boolean repeatsIdentity(String name, String value) {
        IscsiKey key = IscsiKey.byName(name);
        return (key == IscsiKey.INITIATOR_NAME || key == IscsiKey.TARGET_NAME
                || key == IscsiKey.SESSION_TYPE || key == IscsiKey.INITIATOR_ALIAS)
                && value.equals(agreed.get(key));
    }

    /** The target's own declarations not yet sent: its MaxRecvDataSegmentLength, once per login. */
    public List<Map.Entry<String, String>> declarations() {
        if (declaredMaxRecv) {
            return List.of();
        }
        declaredMaxRecv = true;
        return List.of(Map.entry(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH.keyName(),
                Integer.toString(targetNumber(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH))));
    }

    private String answer(IscsiKey key, String value) {
        switch (key) {
            case TARGET_NAME, INITIATOR_NAME, SESSION_TYPE, INITIATOR_ALIAS -> {
                agreed.put(key, value); // read by the login already; declarations need no answer
                return null;
            }
            case TARGET_ALIAS, TARGET_ADDRESS, TARGET_PORTAL_GROUP_TAG -> {
                return REJECT; // the target declares these, never the initiator
            }
            case MAX_RECV_DATA_SEGMENT_LENGTH -> {
                Decoded<Long> n = TextValues.numericalValue(value, key.min(), key.max());
                if (n instanceof Decoded.Invalid<Long> invalid) {
                    return reject(key, invalid.reason());
                }
                agreedNumbers.put(key, n.orElseThrow().intValue());
                declaredMaxRecv = true;
                return Integer.toString(targetNumber(key));
            }
            default -> {
            }
        }
        if ((discovery && key.irrelevantInDiscovery()) || (!leading && key.leadingOnly())) {
            return IRRELEVANT;
        }
        switch (key.rule()) {
            case MINIMUM, MAXIMUM -> {
                Decoded<Long> offered = TextValues.numericalValue(value, key.min(), key.max());
                if (offered instanceof Decoded.Invalid<Long> invalid) {
                    return reject(key, invalid.reason());
                }
                int theirs = offered.orElseThrow().intValue();
                int ours = targetNumber(key);
                int result = key.rule() == NegotiationRule.MINIMUM ? Math.min(theirs, ours) : Math.max(theirs, ours);
                agreedNumbers.put(key, result);
                return Integer.toString(result);
            }
            case BOOLEAN_OR, BOOLEAN_AND -> {
                if (!value.equals("Yes") && !value.equals("No")) {
                    return reject(key, "the offer is neither Yes nor No");
                }
                boolean offered = value.equals("Yes");
                boolean ours = targetValue(key).equals("Yes");
                boolean r = key.rule() == NegotiationRule.BOOLEAN_OR ? offered || ours : offered && ours;
                return agree(key, r ? "Yes" : "No");
            }
            case LIST -> {
                Set<String> supported = Set.of(targetValue(key).split(","));
                for (String v : value.split(",")) {
                    if (supported.contains(v)) {
                        return agree(key, v);
                    }
                }
                return reject(key, "no value offered is one of " + supported);
            }
            default -> {
                return agree(key, value);
            }
        }
    }

    private String agree(IscsiKey key, String result) {
        agreed.put(key, result);
        return result;
    }

    private static String reject(IscsiKey key, String reason) {
        LOG.info("answering {}=Reject: {}", key.keyName(), reason);
        return REJECT;
    }

    private String targetValue(IscsiKey key) {
        String v = targetValues.get(key);
        return v != null ? v : key.defaultValue();
    }

    /** The target's number for a numeric key: its setting, or the RFC default. */
    private int targetNumber(IscsiKey key) {
        return targetNumbers.get(key);
    }

    /** The value agreed for a non-numeric key, or its RFC default when the initiator never offered it. */
    private String agreed(IscsiKey key) {
        String v = agreed.get(key);
        return v != null ? v : key.defaultValue();
    }

    /** The number agreed for a numeric key, or its RFC default when the initiator never offered it. */
    private int agreedNumber(IscsiKey key) {
        Integer v = agreedNumbers.get(key);
        return v != null ? v : DEFAULT_NUMBERS.get(key);
    }

    /** A new connection's parameters: the session's, with this connection's own digests and segment lengths. */
    public SessionParameters connectionParameters(SessionParameters session) {
        SessionParameters mine = parameters();
        return new SessionParameters(session.discovery(), session.initiatorName(), session.initiatorAlias(),
                session.targetName(), mine.headerDigest(), mine.dataDigest(), session.maxConnections(),
                session.initialR2T(), session.immediateData(), mine.maxRecvDataSegmentLength(),
                mine.maxXmitDataSegmentLength(), session.maxBurstLength(), session.firstBurstLength(),
                session.defaultTime2Wait(), session.defaultTime2Retain(), session.maxOutstandingR2T(),
                session.errorRecoveryLevel());
    }

    /** The parameters of the session as they stand. */
    public SessionParameters parameters() {
        int maxBurst = agreedNumber(IscsiKey.MAX_BURST_LENGTH);
        return new SessionParameters(discovery, agreed.get(IscsiKey.INITIATOR_NAME),
                agreed.get(IscsiKey.INITIATOR_ALIAS), agreed.get(IscsiKey.TARGET_NAME),
                agreed(IscsiKey.HEADER_DIGEST).equals("CRC32C"),
                agreed(IscsiKey.DATA_DIGEST).equals("CRC32C"),
                agreedNumber(IscsiKey.MAX_CONNECTIONS),
                agreed(IscsiKey.INITIAL_R2T).equals("Yes"),
                agreed(IscsiKey.IMMEDIATE_DATA).equals("Yes"),
                // Undeclared (a login that skipped the operational stage), the initiator assumes the default.
                declaredMaxRecv ? targetNumber(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH)
                        : DEFAULT_NUMBERS.get(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH),
                Math.min(agreedNumber(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH), targetMaxXmit),
                maxBurst, Math.min(agreedNumber(IscsiKey.FIRST_BURST_LENGTH), maxBurst),
                agreedNumber(IscsiKey.DEFAULT_TIME2WAIT), agreedNumber(IscsiKey.DEFAULT_TIME2RETAIN),
                agreedNumber(IscsiKey.MAX_OUTSTANDING_R2T), agreedNumber(IscsiKey.ERROR_RECOVERY_LEVEL));
    }
}
