package org.tandem.server.session;

import org.apache.logging.log4j.Level;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.config.AccessRules;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.InitiatorAccess;
import org.tandem.server.config.IscsiName;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetConfig;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Everything a login needs to look up: the targets by name, the discovery CHAP accounts, the access rules, the
 * portal group tag, the registry of live sessions and the login counters. Targets come and go at run time (admin
 * endpoint, reload): the map is an immutable snapshot replaced under this object's lock, in configuration order
 * (SendTargets lists them so).
 */
public final class TargetCatalog implements AutoCloseable {
    /** Tandem serves every portal as one portal group. */
    public static final int PORTAL_GROUP_TAG = 1;

    private final Executor ioExecutor;
    /** Which targets' LUN stores open only while their cluster group is served here (by target name). */
    private final Predicate<String> followsRole;
    private final SessionRegistry sessions = new SessionRegistry();
    private final LoginStatistics logins = new LoginStatistics();
    private volatile Map<String, IscsiTarget> targets;
    private volatile TandemConfig config;
    private final Level sessionLogLevel;

    private TargetCatalog(TandemConfig config, Map<String, IscsiTarget> targets, Executor ioExecutor,
                          Predicate<String> followsRole, Level sessionLogLevel) {
        this.config = config;
        this.targets = Collections.unmodifiableMap(targets);
        this.ioExecutor = ioExecutor;
        this.followsRole = followsRole;
        this.sessionLogLevel = sessionLogLevel;
    }

    /** Opens every configured target; on failure closes those already opened. */
    public static TargetCatalog open(TandemConfig config, Executor ioExecutor) throws ConfigException {
        return open(config, ioExecutor, name -> false);
    }

    /**
     * As {@link #open(TandemConfig, Executor)}, but the LUN stores of the targets {@code followsRole} names (those
     * of cluster groups, and in a cluster whose group takes every unnamed target, targets added later too) are not
     * opened: their group's start opens them ({@link IscsiTarget#openStores()}).
     */
    public static TargetCatalog open(TandemConfig config, Executor ioExecutor, Predicate<String> followsRole)
            throws ConfigException {
        return open(config, ioExecutor, followsRole, Level.INFO);
    }

    /**
     * A catalog of the process's own, internal sessions (the start-up warm-up's): as {@link #open(TandemConfig,
     * Executor)}, but its listeners, LUNs, logins, logouts and lost connections are logged at DEBUG, so that an
     * operator's log shows initiators' sessions only.
     */
    public static TargetCatalog openInternal(TandemConfig config, Executor ioExecutor) throws ConfigException {
        return open(config, ioExecutor, name -> false, Level.DEBUG);
    }

    private static TargetCatalog open(TandemConfig config, Executor ioExecutor, Predicate<String> followsRole,
                                      Level sessionLogLevel) throws ConfigException {
        Map<String, IscsiTarget> targets = new LinkedHashMap<>();
        try {
            for (TargetConfig t : config.targets()) {
                targets.put(IscsiName.key(t.name()), IscsiTarget.open(t, PORTAL_GROUP_TAG, ioExecutor,
                        followsRole.test(t.name()), sessionLogLevel));
            }
        } catch (ConfigException e) {
            targets.values().forEach(IscsiTarget::close);
            throw e;
        }
        return new TargetCatalog(config, targets, ioExecutor, followsRole, sessionLogLevel);
    }

    /**
     * The level of the lines that record listeners, LUNs opened, logins, logouts and lost connections: INFO, or
     * DEBUG for an {@linkplain #openInternal internal} catalog.
     */
    public Level sessionLogLevel() {
        return sessionLogLevel;
    }

    /** The target of this name; iSCSI names compare without regard to case (RFC 3722). */
    public IscsiTarget target(String name) {
        return targets.get(IscsiName.key(name));
    }

    public Collection<IscsiTarget> targets() {
        return new ArrayList<>(targets.values());
    }

    /** Opens a new target and adds it; it serves logins at once. */
    public IscsiTarget addTarget(TargetConfig target) throws ConfigException {
        return addTarget(target, false);
    }

    /**
     * As {@link #addTarget(TargetConfig)}; with {@code standby} its LUNs answer NOT READY, TARGET PORT IN STANDBY
     * STATE from the first login on (a cluster node must not serve, even for a moment, what its peer may serve).
     */
    public synchronized IscsiTarget addTarget(TargetConfig target, boolean standby) throws ConfigException {
        if (targets.containsKey(IscsiName.key(target.name()))) {
            throw new ConfigException("target " + target.name() + " already exists");
        }
        IscsiTarget opened = IscsiTarget.open(target, PORTAL_GROUP_TAG, ioExecutor,
                followsRole.test(target.name()), sessionLogLevel);
        if (standby) {
            opened.units().forEach(u -> u.takeOffline(SenseReason.TARGET_PORT_IN_STANDBY_STATE)); // not listed yet
        }
        Map<String, IscsiTarget> next = new LinkedHashMap<>(targets);
        next.put(IscsiName.key(target.name()), opened);
        targets = Collections.unmodifiableMap(next);
        return opened;
    }

    /**
     * Takes a target out of the catalog: new logins to it fail. Its sessions and LUNs are the caller's to end and
     * close. Returns null when there is no such target.
     */
    public synchronized IscsiTarget removeTarget(String name) {
        IscsiTarget t = targets.get(IscsiName.key(name));
        if (t != null) {
            Map<String, IscsiTarget> next = new LinkedHashMap<>(targets);
            next.remove(IscsiName.key(name));
            targets = Collections.unmodifiableMap(next);
        }
        return t;
    }

    /** The configuration as it stands now: the global section and allow files, with the targets as they run. */
    public TandemConfig config() {
        TandemConfig c = config;
        List<TargetConfig> running = targets.values().stream().map(IscsiTarget::config).toList();
        return new TandemConfig(c.file(), c.discoveryIncoming(), c.discoveryOutgoing(), running, c.initiatorsAllow(),
                c.targetsAllow(), c.initiatorsDeny());
    }

    /** Replaces the global section (discovery accounts) and the access rules; targets are not touched. */
    public void global(TandemConfig next) {
        config = next;
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

    /** initiators.allow with initiators.deny, if the site has one: who may log in and see a target. */
    public InitiatorAccess initiatorAccess() {
        return config.initiatorAccess();
    }

    public AccessRules targetsAllow() {
        return config.targetsAllow();
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public LoginStatistics logins() {
        return logins;
    }

    /** The sessions logged in to a target. */
    public List<Session> sessionsOf(IscsiTarget target) {
        return sessions.all().stream().filter(s -> s.target() == target).toList();
    }

    @Override
    public void close() {
        targets.values().forEach(IscsiTarget::close);
    }
}
