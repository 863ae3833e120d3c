package org.tandem.server.session;

/** One connection of a session, as it stands: its CID, both ends, and what its login agreed for it. */
public record ConnectionInfo(int cid, String localAddress, String remoteAddress, boolean headerDigest,
                             boolean dataDigest, int maxRecvDataSegmentLength, int maxXmitDataSegmentLength) {
}
