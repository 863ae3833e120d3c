package org.tandem.server.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every live session, by TSIH. Allocates TSIHs (never 0, RFC 7143 section 11.12.6), finds the session a new login
 * reinstates (same initiator name, ISID and target), and counts sessions per target for MaxSessions.
 * Thread-safe: logins on different event loops register concurrently.
 */
public final class SessionRegistry {
    private final Map<Integer, Session> byTsih = new ConcurrentHashMap<>();
    private int nextTsih = 1;

    /** Reserves a TSIH no live session uses. */
    public synchronized int allocateTsih() {
        for (int i = 0; i < 0xffff; i++) {
            int t = nextTsih;
            nextTsih = nextTsih == 0xffff ? 1 : nextTsih + 1;
            if (!byTsih.containsKey(t)) {
                return t;
            }
        }
        throw new IllegalStateException("65535 sessions in use");
    }

    /**
     * Registers a new session and returns the one it reinstates (same initiator port and target), or null. The
     * caller closes the reinstated session.
     */
    public synchronized Session register(Session session) {
        Session old = null;
        for (Session s : byTsih.values()) {
            if (s.isid() == session.isid() && s.initiatorName().equals(session.initiatorName())
                    && s.target() == session.target()) {
                old = s;
                break;
            }
        }
        if (old != null) {
            byTsih.remove(old.tsih());
        }
        byTsih.put(session.tsih(), session);
        return old;
    }

    /** Removes a session that ended, if it is still the registered one for its TSIH. */
    public void remove(Session session) {
        byTsih.remove(session.tsih(), session);
    }

    public Session byTsih(int tsih) {
        return byTsih.get(tsih);
    }

    /** The number of normal sessions to a target, not counting one that {@code initiatorName}/{@code isid} would
     * reinstate. */
    public synchronized int countFor(IscsiTarget target, String initiatorName, long isid) {
        int n = 0;
        for (Session s : byTsih.values()) {
            if (s.target() == target && !(s.isid() == isid && s.initiatorName().equals(initiatorName))) {
                n++;
            }
        }
        return n;
    }

    public List<Session> all() {
        return new ArrayList<>(byTsih.values());
    }
}
