package org.tandem.server.negotiation;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.tandem.server.negotiation.Directive.digest;
import static org.tandem.server.negotiation.Directive.number;
import static org.tandem.server.negotiation.Directive.yesNo;
import static org.tandem.server.negotiation.NegotiationRule.BOOLEAN_AND;
import static org.tandem.server.negotiation.NegotiationRule.BOOLEAN_OR;
import static org.tandem.server.negotiation.NegotiationRule.DECLARATIVE;
import static org.tandem.server.negotiation.NegotiationRule.LIST;
import static org.tandem.server.negotiation.NegotiationRule.MAXIMUM;
import static org.tandem.server.negotiation.NegotiationRule.MINIMUM;
import static org.tandem.server.negotiation.NegotiationRule.TARGET_LOCAL;

/**
 * The one table of iSCSI keys and ietd.conf directives: the text keys of RFC 7143 section 13 (and RFC 7144's
 * iSCSIProtocolLevel and TaskReporting) with their rule, RFC range, RFC default, whether the key is leading-only
 * (login of the first connection only) and whether it is irrelevant in a discovery session; the ietd.conf(5)
 * directive that sets a key for a target, with IET's range and Tandem's default; Tandem's fixed offer for the keys
 * no directive sets; and the directives of the target's own that are never on the wire. Security keys (AuthMethod,
 * CHAP_*) are handled by the login's security stage.
 * <p>
 * The ietd.conf defaults are IET 1.4.20's (usr/param.c, with ImmediateData=Yes as its code has it), except the data
 * segment lengths: IET's 8192 costs a PDU header per 8 KiB, so Tandem offers 256 KiB both ways unless told otherwise.
 * Where IET's default differs from the RFC's (MaxRecvDataSegmentLength 262144 against 8192, DefaultTime2Retain 0
 * against 20) the target offers IET's; the RFC's stands where a key is not negotiated.
 * <p>
 * The order of the rows is the order in which a target's directives are written back to ietd.conf.
 */
public enum IscsiKey {
    //                        name                        rule          RFC range   RFC default  LO     normal-only
    //                        ietd.conf directive (range, default) or Tandem's offer
    HEADER_DIGEST("HeaderDigest", LIST, 0, 0, "None", false, false, digest()),
    DATA_DIGEST("DataDigest", LIST, 0, 0, "None", false, false, digest()),
    MAX_CONNECTIONS("MaxConnections", MINIMUM, 1, 65535, "1", true, true, number(1, 65535, 1)),
    /** Sessions per target, 0 for no limit. */
    MAX_SESSIONS("MaxSessions", TARGET_LOCAL, 0, 0, null, false, false, number(0, 65535, 0)),
    TARGET_NAME("TargetName", DECLARATIVE, 0, 0, null, false, false),
    INITIATOR_NAME("InitiatorName", DECLARATIVE, 0, 0, null, false, false),
    TARGET_ALIAS("TargetAlias", DECLARATIVE, 0, 0, null, false, false),
    INITIATOR_ALIAS("InitiatorAlias", DECLARATIVE, 0, 0, null, false, false),
    TARGET_ADDRESS("TargetAddress", DECLARATIVE, 0, 0, null, false, false),
    TARGET_PORTAL_GROUP_TAG("TargetPortalGroupTag", DECLARATIVE, 0, 65535, null, false, false),
    INITIAL_R2T("InitialR2T", BOOLEAN_OR, 0, 0, "Yes", true, true, yesNo(0, 1, 1)),
    IMMEDIATE_DATA("ImmediateData", BOOLEAN_AND, 0, 0, "Yes", true, true, yesNo(0, 1, 1)),
    MAX_RECV_DATA_SEGMENT_LENGTH("MaxRecvDataSegmentLength", DECLARATIVE, 512, 16777215, "8192", false, false,
            number(512, 16777215, 262144)),
    /** The target's cap on the data segments it sends, below what the initiator declared. */
    MAX_XMIT_DATA_SEGMENT_LENGTH("MaxXmitDataSegmentLength", TARGET_LOCAL, 0, 0, null, false, false,
            number(512, 16777215, 262144)),
    MAX_BURST_LENGTH("MaxBurstLength", MINIMUM, 512, 16777215, "262144", true, true, number(512, 16777215, 262144)),
    FIRST_BURST_LENGTH("FirstBurstLength", MINIMUM, 512, 16777215, "65536", true, true, number(512, 16777215, 65536)),
    DEFAULT_TIME2WAIT("DefaultTime2Wait", MAXIMUM, 0, 3600, "2", true, false, number(0, 3600, 2)),
    DEFAULT_TIME2RETAIN("DefaultTime2Retain", MINIMUM, 0, 3600, "20", true, false, number(0, 3600, 0)),
    MAX_OUTSTANDING_R2T("MaxOutstandingR2T", MINIMUM, 1, 65535, "1", true, true, number(1, 65535, 1)),
    DATA_PDU_IN_ORDER("DataPDUInOrder", BOOLEAN_OR, 0, 0, "Yes", true, true, yesNo(1, 1, 1)),
    DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", BOOLEAN_OR, 0, 0, "Yes", true, true, yesNo(1, 1, 1)),
    ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", MINIMUM, 0, 2, "0", true, false, number(0, 0, 0)),
    /** Seconds between NOP-In pings, 0 for none. */
    NOP_INTERVAL("NOPInterval", TARGET_LOCAL, 0, 0, null, false, false, number(0, 90, 0)),
    /** Seconds an unanswered NOP-In ping waits before the connection is dropped; 0 or above NOPInterval: that. */
    NOP_TIMEOUT("NOPTimeout", TARGET_LOCAL, 0, 0, null, false, false, number(0, 90, 0)),
    /** Threads of the storage I/O executor (the highest of all targets counts). */
    WTHREADS("Wthreads", TARGET_LOCAL, 0, 0, null, false, false, number(1, 128, 8)),
    /** Commands a session may have queued: the CmdSN window. */
    QUEUED_COMMANDS("QueuedCommands", TARGET_LOCAL, 0, 0, null, false, false, number(1, 256, 32)),
    SESSION_TYPE("SessionType", DECLARATIVE, 0, 0, "Normal", true, false),
    OF_MARKER("OFMarker", BOOLEAN_AND, 0, 0, "No", false, false, "No"),
    IF_MARKER("IFMarker", BOOLEAN_AND, 0, 0, "No", false, false, "No"),
    ISCSI_PROTOCOL_LEVEL("iSCSIProtocolLevel", MINIMUM, 0, 31, "1", true, false, "1"),
    TASK_REPORTING("TaskReporting", LIST, 0, 0, "RFC3720", true, false, "RFC3720");

    private static final Map<String, IscsiKey> BY_NAME = new HashMap<>();
    private static final Map<String, IscsiKey> BY_DIRECTIVE = new HashMap<>();

    static {
        for (IscsiKey k : values()) {
            if (k.negotiated()) {
                BY_NAME.put(k.keyName, k);
            }
            if (k.directive != null) {
                BY_DIRECTIVE.put(k.keyName.toLowerCase(Locale.ROOT), k);
            }
        }
    }

    private final String keyName;
    private final NegotiationRule rule;
    private final int min;
    private final int max;
    private final String defaultValue;
    private final boolean leadingOnly;
    private final boolean irrelevantInDiscovery;
    private final Directive directive;
    private final String fixedOffer;

    /** A key no directive sets and the target makes no offer of: a declaration. */
    IscsiKey(String keyName, NegotiationRule rule, int min, int max, String defaultValue, boolean leadingOnly,
             boolean irrelevantInDiscovery) {
        this(keyName, rule, min, max, defaultValue, leadingOnly, irrelevantInDiscovery, null, null);
    }

    /** A key (or target-local directive) that ietd.conf sets per target. */
    IscsiKey(String keyName, NegotiationRule rule, int min, int max, String defaultValue, boolean leadingOnly,
             boolean irrelevantInDiscovery, Directive directive) {
        this(keyName, rule, min, max, defaultValue, leadingOnly, irrelevantInDiscovery, directive, null);
    }

    /** A key no directive sets, for which every target offers the same value. */
    IscsiKey(String keyName, NegotiationRule rule, int min, int max, String defaultValue, boolean leadingOnly,
             boolean irrelevantInDiscovery, String fixedOffer) {
        this(keyName, rule, min, max, defaultValue, leadingOnly, irrelevantInDiscovery, null, fixedOffer);
    }

    IscsiKey(String keyName, NegotiationRule rule, int min, int max, String defaultValue, boolean leadingOnly,
             boolean irrelevantInDiscovery, Directive directive, String fixedOffer) {
        this.keyName = keyName;
        this.rule = rule;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.leadingOnly = leadingOnly;
        this.irrelevantInDiscovery = irrelevantInDiscovery;
        this.directive = directive;
        this.fixedOffer = fixedOffer;
    }

    /** The key's name as RFC 7143 spells it, which is also its ietd.conf directive's. */
    public String keyName() {
        return keyName;
    }

    public NegotiationRule rule() {
        return rule;
    }

    /** The lowest value RFC 7143 allows a numeric key. */
    public int min() {
        return min;
    }

    /** The highest value RFC 7143 allows a numeric key; 0 for keys that are not numeric. */
    public int max() {
        return max;
    }

    /** The RFC default: what holds when the key is not negotiated (null for keys without one). */
    public String defaultValue() {
        return defaultValue;
    }

    public boolean leadingOnly() {
        return leadingOnly;
    }

    public boolean irrelevantInDiscovery() {
        return irrelevantInDiscovery;
    }

    /** True for keys with a numeric value and range. */
    public boolean numeric() {
        return max > 0;
    }

    /** False for the target's own directives, which are never sent nor understood on the wire. */
    public boolean negotiated() {
        return rule != TARGET_LOCAL;
    }

    /** The ietd.conf directive that sets this key per target, if there is one. */
    public Optional<Directive> directive() {
        return Optional.ofNullable(directive);
    }

    /** What every target offers for a negotiated key that no directive sets, if it offers anything. */
    public Optional<String> fixedOffer() {
        return Optional.ofNullable(fixedOffer);
    }

    /** The negotiated key of this name (names are case-sensitive), or null. */
    public static IscsiKey byName(String name) {
        return BY_NAME.get(name);
    }

    /** The key set by the ietd.conf directive of this name (case-insensitive, as IET read it), or null. */
    public static IscsiKey byDirective(String name) {
        return BY_DIRECTIVE.get(name.toLowerCase(Locale.ROOT));
    }
}
