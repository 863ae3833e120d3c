package org.tandem.server.admin;

import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.stats.IoStatistics;
import org.tandem.scsi.stats.LatencyHistogram;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.InitiatorAccess;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TargetConfig;
import org.tandem.server.negotiation.Directive;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.ConnectionInfo;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The JSON shapes of the admin endpoint, as records Jackson writes field by field. Secrets never appear. */
final class Views {
    private Views() {
    }

    record TargetView(String name, String alias, List<LunView> luns, int sessions, List<String> incomingUsers,
                      String outgoingUser, List<String> initiators, DenyView initiatorsDeny,
                      Map<String, Object> settings) {
    }

    /** The deprecated initiators.deny as it applies to one target (null where there is no such file). */
    record DenyView(List<String> rules, String effect) {
    }

    record LunView(int lun, String type, String path, String ioMode, int blockSize, long blocks, long sizeBytes,
                   boolean online, boolean readOnly, boolean writeCache, String serialNumber, String naa,
                   int commandsInFlight, StatsView stats) {
    }

    record StatsView(long readCommands, long writeCommands, long otherCommands, long bytesRead, long bytesWritten,
                     long errors, LatencyView latency) {
    }

    record LatencyView(long count, double sumSeconds, double p50Seconds, double p99Seconds, List<Bucket> buckets) {
    }

    /** Cumulative count of commands that took at most {@code le} seconds ("+Inf" for all). */
    record Bucket(String le, long count) {
    }

    record SessionView(int tsih, String initiatorName, String initiatorAlias, String isid, String target,
                       boolean discovery, String loginTime, int commandsInFlight, SessionParameters parameters,
                       List<ConnectionInfo> connections, StatsView stats) {
    }

    record LunStatsView(String target, int lun, StatsView stats) {
    }

    record SessionStatsView(int tsih, String initiatorName, String target, StatsView stats) {
    }

    record StatsReport(List<LunStatsView> luns, List<SessionStatsView> sessions) {
    }

    record HealthView(String status, long uptimeSeconds, int targets, int luns, int lunsOffline, int sessions,
                      long loginFailures) {
    }

    static TargetView target(IscsiTarget t, TargetCatalog catalog) {
        TargetConfig c = t.config();
        List<LunView> luns = new ArrayList<>();
        t.unitsByNumber().forEach((n, u) -> luns.add(lun(n, u, c.lun(n))));
        Map<String, Object> settings = new LinkedHashMap<>();
        c.settings().explicitNumbers().forEach((k, v) -> settings.put(k.keyName(),
                k.directive().orElseThrow().kind() == Directive.Kind.BOOLEAN ? (Object) (v != 0) : (Object) v));
        c.settings().explicitDigests().forEach((k, v) -> settings.put(k.keyName(), v));
        return new TargetView(t.name(), c.alias(), luns, catalog.sessionsOf(t).size(),
                c.incoming().stream().map(ChapAccount::name).toList(),
                c.outgoing() == null ? null : c.outgoing().name(), catalog.initiatorsAllow().rulesFor(t.name()),
                deny(catalog, t.name()), settings);
    }

    static DenyView deny(TargetCatalog catalog, String target) {
        InitiatorAccess access = catalog.initiatorAccess();
        return access.denyEffectFor(target).map(effect -> new DenyView(access.denyRulesFor(target), effect))
                .orElse(null);
    }

    static LunView lun(int number, LogicalUnit u, LunConfig config) {
        var store = u.store();
        String type = config == null ? "?" : config.store().type().name().toLowerCase(Locale.ROOT);
        String path = config == null || config.store().path() == null ? null : config.store().path().toString();
        String mode = config == null ? "?" : config.store().ioMode().name().toLowerCase(Locale.ROOT);
        return new LunView(number, type, path, mode, store.blockSize(), store.blockCount(),
                store.blockCount() * store.blockSize(), u.online(), store.readOnly(), store.writeCacheEnabled(),
                u.identity().serialNumber(), "0x" + HexFormat.of().formatHex(u.identity().naa()),
                u.commandsInFlight(), stats(u.statistics()));
    }

    static SessionView session(Session s) {
        SessionParameters p = s.parameters();
        return new SessionView(s.tsih(), s.initiatorName(), p.initiatorAlias(), String.format("0x%012x", s.isid()),
                s.discovery() ? null : s.target().name(), s.discovery(), s.loginTime().toString(),
                s.window().inFlight(), p, s.connectionInfo(), stats(s.statistics()));
    }

    static StatsView stats(IoStatistics statistics) {
        IoStatistics.Snapshot s = statistics.snapshot();
        LatencyHistogram.Snapshot h = s.latency();
        List<Bucket> buckets = new ArrayList<>();
        for (int i = 0; i < h.buckets(); i++) {
            buckets.add(new Bucket(h.upperBoundLabel(i), h.cumulative()[i]));
        }
        return new StatsView(s.readCommands(), s.writeCommands(), s.otherCommands(), s.bytesRead(),
                s.bytesWritten(), s.errors(), new LatencyView(h.count(), h.sumNanos() / 1e9,
                h.quantileUpperBound(0.5), h.quantileUpperBound(0.99), buckets));
    }
}
