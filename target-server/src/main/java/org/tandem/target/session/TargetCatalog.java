package org.tandem.target.session;

import org.tandem.target.config.AccessRules;
import org.tandem.target.config.ChapAccount;
import org.tandem.target.config.ConfigException;
import org.tandem.target.config.TandemConfig;
import org.tandem.target.config.TargetConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Everything a login needs to look up: the targets by name, the discovery CHAP accounts, the access rules, the
 * portal group tag, and the registry of live sessions.
 */
public final class TargetCatalog implements AutoCloseable {
    /** Tandem serves every portal as one portal group. */
    public static final int PORTAL_GROUP_TAG = 1;

    private final Map<String, IscsiTarget> targets;
    private final TandemConfig config;
    private final SessionRegistry sessions = new SessionRegistry();

    private TargetCatalog(TandemConfig config, Map<String, IscsiTarget> targets) {
        this.config = config;
        this.targets = targets;
    }

    /** Opens every configured target; on failure closes those already opened. */
    public static TargetCatalog open(TandemConfig config, Executor ioExecutor) throws ConfigException {
        Map<String, IscsiTarget> targets = new LinkedHashMap<>();
        try {
            for (TargetConfig t : config.targets()) {
                targets.put(t.name(), IscsiTarget.open(t, PORTAL_GROUP_TAG, ioExecutor));
            }
        } catch (ConfigException e) {
            targets.values().forEach(IscsiTarget::close);
            throw e;
        }
        return new TargetCatalog(config, targets);
    }

    public IscsiTarget target(String name) {
        return targets.get(name);
    }

    public Collection<IscsiTarget> targets() {
        return new ArrayList<>(targets.values());
    }

    public List<ChapAccount> discoveryIncoming() {
        return config.discoveryIncoming();
    }

    public ChapAccount discoveryOutgoing() {
        return config.discoveryOutgoing();
    }

    public AccessRules initiatorsAllow() {
        return config.initiatorsAllow();
    }

    public AccessRules targetsAllow() {
        return config.targetsAllow();
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    @Override
    public void close() {
        targets.values().forEach(IscsiTarget::close);
    }
}
