package org.tandem.server.config;

import java.util.Locale;

/**
 * The per-target directives of ietd.conf that take a value, with IET's ranges and defaults (IET 1.4.20's
 * usr/param.c, with ImmediateData=Yes as its code has it), except the data segment lengths: IET's 8192 costs a
 * PDU header per 8 KiB, so Tandem offers 256 KiB both ways unless told otherwise. Digest values are kept as text
 * ("None", "CRC32C" or a comma list), booleans as 0/1.
 */
public enum TargetSetting {
    HEADER_DIGEST("HeaderDigest", Kind.DIGEST, 0, 0, 0),
    DATA_DIGEST("DataDigest", Kind.DIGEST, 0, 0, 0),
    MAX_CONNECTIONS("MaxConnections", Kind.NUMBER, 1, 65535, 1),
    MAX_SESSIONS("MaxSessions", Kind.NUMBER, 0, 65535, 0),
    INITIAL_R2T("InitialR2T", Kind.BOOLEAN, 0, 1, 1),
    IMMEDIATE_DATA("ImmediateData", Kind.BOOLEAN, 0, 1, 1),
    MAX_RECV_DATA_SEGMENT_LENGTH("MaxRecvDataSegmentLength", Kind.NUMBER, 512, 16777215, 262144),
    MAX_XMIT_DATA_SEGMENT_LENGTH("MaxXmitDataSegmentLength", Kind.NUMBER, 512, 16777215, 262144),
    MAX_BURST_LENGTH("MaxBurstLength", Kind.NUMBER, 512, 16777215, 262144),
    FIRST_BURST_LENGTH("FirstBurstLength", Kind.NUMBER, 512, 16777215, 65536),
    DEFAULT_TIME2WAIT("DefaultTime2Wait", Kind.NUMBER, 0, 3600, 2),
    DEFAULT_TIME2RETAIN("DefaultTime2Retain", Kind.NUMBER, 0, 3600, 0),
    MAX_OUTSTANDING_R2T("MaxOutstandingR2T", Kind.NUMBER, 1, 65535, 1),
    DATA_PDU_IN_ORDER("DataPDUInOrder", Kind.BOOLEAN, 1, 1, 1),
    DATA_SEQUENCE_IN_ORDER("DataSequenceInOrder", Kind.BOOLEAN, 1, 1, 1),
    ERROR_RECOVERY_LEVEL("ErrorRecoveryLevel", Kind.NUMBER, 0, 0, 0),
    NOP_INTERVAL("NOPInterval", Kind.NUMBER, 0, 90, 0),
    NOP_TIMEOUT("NOPTimeout", Kind.NUMBER, 0, 90, 0),
    WTHREADS("Wthreads", Kind.NUMBER, 1, 128, 8),
    QUEUED_COMMANDS("QueuedCommands", Kind.NUMBER, 1, 256, 32);

    /** How a directive's value is written. */
    public enum Kind { NUMBER, BOOLEAN, DIGEST }

    private final String directive;
    private final Kind kind;
    private final int min;
    private final int max;
    private final int defaultValue;

    TargetSetting(String directive, Kind kind, int min, int max, int defaultValue) {
        this.directive = directive;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
    }

    public String directive() {
        return directive;
    }

    public Kind kind() {
        return kind;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    public int defaultValue() {
        return defaultValue;
    }

    /** The setting for a directive name, case-insensitively, or null. */
    public static TargetSetting byDirective(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (TargetSetting s : values()) {
            if (s.directive.toLowerCase(Locale.ROOT).equals(lower)) {
                return s;
            }
        }
        return null;
    }
}
