package org.tandem.server.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The answer to SendTargets (RFC 7143 section 13.3 and appendix C): TargetName and TargetAddress pairs for the
 * targets this initiator may see on the portal it connected to (initiators.allow and initiators.deny, targets.allow).
 */
public final class SendTargets {
    private SendTargets() {
    }

    /**
     * @param value   the SendTargets value: "All" (discovery sessions), a target name, or empty (the session's
     *                own target)
     * @param session the asking session
     */
    public static List<Map.Entry<String, String>> answer(String value, Session session, TargetCatalog catalog,
                                                         InetSocketAddress local, InetSocketAddress remote) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        List<IscsiTarget> candidates = new ArrayList<>();
        if (value.equals("All")) {
            if (session.discovery()) {
                candidates.addAll(catalog.targets());
            }
        } else if (value.isEmpty()) {
            if (!session.discovery()) {
                candidates.add(session.target());
            }
        } else if (catalog.target(value) != null) {
            candidates.add(catalog.target(value));
        }
        String address = portal(local);
        for (IscsiTarget t : candidates) {
            if (!catalog.targetsAllow().allows(t.name(), local.getAddress(), null)
                    || !catalog.initiatorAccess().allows(t.name(), remote.getAddress(),
                    session.initiatorName())) {
                continue;
            }
            out.add(Map.entry("TargetName", t.name()));
            out.add(Map.entry("TargetAddress", address + "," + TargetCatalog.PORTAL_GROUP_TAG));
        }
        return out;
    }

    private static String portal(InetSocketAddress local) {
        InetAddress a = local.getAddress();
        String host = a.getHostAddress();
        if (a instanceof Inet6Address) {
            int scope = host.indexOf('%');
            host = "[" + (scope >= 0 ? host.substring(0, scope) : host) + "]";
        }
        return host + ":" + local.getPort();
    }
}
