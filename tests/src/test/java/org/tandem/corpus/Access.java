package org.tandem.corpus;

import org.tandem.server.config.TandemConfig;

import java.net.InetAddress;

/** The access decision a loaded configuration makes for an initiator (initiators.allow, and initiators.deny). */
final class Access {
    private Access() {
    }

    static boolean allows(TandemConfig config, String target, InetAddress address, String initiatorName) {
        return config.initiatorAccess().allows(target, address, initiatorName);
    }
}
