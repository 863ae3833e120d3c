package org.tandem.server.negotiation;

import java.util.HashMap;
import java.util.Map;

import static org.tandem.server.negotiation.NegotiationRule.BOOLEAN_AND;
import static org.tandem.server.negotiation.NegotiationRule.BOOLEAN_OR;
import static org.tandem.server.negotiation.NegotiationRule.DECLARATIVE;
import static org.tandem.server.negotiation.NegotiationRule.LIST;
import static org.tandem.server.negotiation.NegotiationRule.MAXIMUM;
import static org.tandem.server.negotiation.NegotiationRule.MINIMUM;

/**
 * The text keys of RFC 7143 section 13 (and RFC 7144's iSCSIProtocolLevel and TaskReporting): rule, numeric
 * range, default, whether the key is leading-only (login of the first connection only), and whether it is
 * irrelevant in a discovery session. Security keys (AuthMethod, CHAP_*) are handled by the login's security stage.
 */
public enum NegotiationKey {
    HEADER_DIGEST("HeaderDigest", LIST, 0, 0, "None", false, false),
    DATA_DIGEST("DataDigest", LIST, 0, 0, "None", false, false),
    MAX_CONNECTIONS("MaxConnections", MINIMUM, 1, 65535, "1", true, true),
    TARGET_NAME("TargetName", DECLARATIVE, 0, 0, null, false, false),
    INITIATOR_NAME("InitiatorName", DECLARATIVE, 0, 0, null, false, false),
    TARGET_ALIAS("TargetAlias", DECLARATIVE, 0, 0, null, false, false),
    INITIATOR_ALIAS("InitiatorAlias", DECLARATIVE, 0, 0, null, false, false),
    TARGET_ADDRESS("TargetAddress", DECLARATIVE, 0, 0, null, false, false),
    TARGET_PORTAL_GROUP_TAG("TargetPortalGroupTag", DECLARATIVE, 0, 65535, null, false, false),
    INITIAL_R2T("InitialR2T", BOOLEAN_OR, 0, 0, "Yes", true, true),
    IMMEDIATE_DATA("ImmediateData", BOOLEAN_AND, 0, 0, "Yes", true, true),
    MAX_RECV_DATA_SEGMENT_LENGTH("MaxRecvDataSegmentLength", DECLARATIVE, 512, 16777215, "8192", false, false),
    MAX_BURST_LENGTH("MaxBurstLength", MINIMUM, 512, 16777215, "262144", true, true),
    FIRST_BURST_LENGTH("FirstBurstLength", MINIMUM, 512, 16777215, "65536", true, true),
    DEFAULT_TIME2WAIT("DefaultTime2Wait", MAXIMUM, 0, 3600, "2", true, false),
    DEFAULT_TIME2RETAIN("DefaultTime2Retain", MINIMUM, 0, 3600, "20", true, false),
    MAX_OUTSTANDING_R2T("MaxOutstandingR2T", MINIMUM, 1, 65535, "1", true, true),
    DATA_PDU_IN_ORDER("DataPDUInOrder", BOOLEAN_OR, 0, 0, "Yes", true, true),
    DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", BOOLEAN_OR, 0, 0, "Yes", true, true),
    ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", MINIMUM, 0, 2, "0", true, false),
    SESSION_TYPE("SessionType", DECLARATIVE, 0, 0, "Normal", true, false),
    OF_MARKER("OFMarker", BOOLEAN_AND, 0, 0, "No", false, false),
    IF_MARKER("IFMarker", BOOLEAN_AND, 0, 0, "No", false, false),
    ISCSI_PROTOCOL_LEVEL("iSCSIProtocolLevel", MINIMUM, 0, 31, "1", true, false),
    TASK_REPORTING("TaskReporting", LIST, 0, 0, "RFC3720", true, false);

    private static final Map<String, NegotiationKey> BY_NAME = new HashMap<>();

    static {
        for (NegotiationKey k : values()) {
            BY_NAME.put(k.keyName, k);
        }
    }

    private final String keyName;
    private final NegotiationRule rule;
    private final int min;
    private final int max;
    private final String defaultValue;
    private final boolean leadingOnly;
    private final boolean irrelevantInDiscovery;

    NegotiationKey(String keyName, NegotiationRule rule, int min, int max, String defaultValue, boolean leadingOnly,
                   boolean irrelevantInDiscovery) {
        this.keyName = keyName;
        this.rule = rule;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.leadingOnly = leadingOnly;
        this.irrelevantInDiscovery = irrelevantInDiscovery;
    }

    public String keyName() {
        return keyName;
    }

    public NegotiationRule rule() {
        return rule;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

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

    /** The key of this name (names are case-sensitive), or null. */
    public static NegotiationKey byName(String name) {
        return BY_NAME.get(name);
    }
}
