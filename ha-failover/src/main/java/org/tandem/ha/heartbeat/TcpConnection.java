package org.tandem.ha.heartbeat;

/**
 * An initiator's live connection to a floating portal, as the owner shares it in its heartbeats so that after a
 * takeover the survivor can make the initiator reset it at once (a tickle) instead of waiting out TCP's
 * retransmission backoff. IPv4 only: addresses as four bytes in an int.
 */
public record TcpConnection(int localAddress, int localPort, int remoteAddress, int remotePort) {
    public static int address(byte[] ipv4) {
        return ((ipv4[0] & 0xff) << 24) | ((ipv4[1] & 0xff) << 16) | ((ipv4[2] & 0xff) << 8) | (ipv4[3] & 0xff);
    }

    public static byte[] bytes(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

    public static String text(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    @Override
    public String toString() {
        return text(remoteAddress) + ":" + remotePort + "->" + text(localAddress) + ":" + localPort;
    }
}
