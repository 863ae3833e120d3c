package org.tandem.server.negotiation;

/**
 * What a login agreed: immutable, built once when the login reaches full feature phase. Lengths in bytes.
 * {@code maxXmitDataSegmentLength} is what the target may send in one PDU: the initiator's declared
 * MaxRecvDataSegmentLength, capped by the target's MaxXmitDataSegmentLength setting.
 */
public record SessionParameters(boolean discovery, String initiatorName, String initiatorAlias, String targetName,
                                boolean headerDigest, boolean dataDigest, int maxConnections, boolean initialR2T,
                                boolean immediateData, int maxRecvDataSegmentLength, int maxXmitDataSegmentLength,
                                int maxBurstLength, int firstBurstLength, int defaultTime2Wait,
                                int defaultTime2Retain, int maxOutstandingR2T, int errorRecoveryLevel) {
}
