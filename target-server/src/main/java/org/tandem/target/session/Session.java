package org.tandem.target.session;

import io.netty.channel.Channel;
import org.tandem.scsi.lu.ItNexus;
import org.tandem.target.negotiation.SessionParameters;

/**
 * One iSCSI session: who (initiator name and ISID), where (target, null for discovery), its TSIH, its agreed
 * parameters, and the one connection it runs on (Tandem negotiates MaxConnections=1). Immutable; the
 * connection's handler keeps the changing state.
 */
public record Session(String initiatorName, long isid, int tsih, IscsiTarget target, SessionParameters parameters,
                      Channel channel, ItNexus nexus) {

    public boolean discovery() {
        return target == null;
    }

    /** The initiator port name of RFC 7143 section 4.4.1: name, ",i,0x", ISID in 12 hex digits. */
    public static String initiatorPortName(String initiatorName, long isid) {
        return initiatorName + ",i,0x" + String.format("%012x", isid);
    }

    public String describe() {
        return initiatorPortName(initiatorName, isid) + " TSIH " + tsih + (target == null ? " (discovery)"
                : " -> " + target.name());
    }
}
