package org.tandem.server.session;

import org.tandem.iscsi.pdu.LoginStatus;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Logins that reached full feature phase, and failed logins by their Login Response status. Thread-safe. */
public final class LoginStatistics {
    private final LongAdder succeeded = new LongAdder();
    private final Map<LoginStatus, LongAdder> failed = new EnumMap<>(LoginStatus.class);

    public LoginStatistics() {
        for (LoginStatus s : LoginStatus.values()) {
            if (s != LoginStatus.SUCCESS) {
                failed.put(s, new LongAdder());
            }
        }
    }

    public void succeeded() {
        succeeded.increment();
    }

    public void failed(LoginStatus status) {
        failed.get(status).increment();
    }

    public long successes() {
        return succeeded.sum();
    }

    /** Failures so far, one entry per failure status (zeros included, so a dashboard sees every series). */
    public Map<LoginStatus, Long> failures() {
        Map<LoginStatus, Long> m = new EnumMap<>(LoginStatus.class);
        failed.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}
