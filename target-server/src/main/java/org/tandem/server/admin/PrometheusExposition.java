package org.tandem.server.admin;

import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.stats.IoStatistics;
import org.tandem.scsi.stats.LatencyHistogram;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics in Prometheus' text exposition format (version 0.0.4): per LUN and per session command and byte
 * counters, errors and latency histograms; sessions, connections, and logins with failures by status. Every
 * family is written once, with HELP and TYPE, its samples together, as the format requires.
 */
final class PrometheusExposition {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    private PrometheusExposition() {
    }

    /** One labelled source of I/O statistics. */
    private record Source(String labels, IoStatistics.Snapshot stats) {
    }

    static String render(TargetCatalog catalog) {
        PrometheusExposition p = new PrometheusExposition();
        List<Source> luns = new ArrayList<>();
        List<IscsiTarget> targets = List.copyOf(catalog.targets());
        for (IscsiTarget t : targets) {
            for (Map.Entry<Integer, LogicalUnit> e : t.unitsByNumber().entrySet()) {
                luns.add(new Source(labels("target", t.name(), "lun", String.valueOf(e.getKey())),
                        e.getValue().statistics().snapshot()));
            }
        }
        List<Session> sessions = catalog.sessions().all().stream().filter(s -> !s.discovery()).toList();
        List<Source> bySession = new ArrayList<>();
        for (Session s : sessions) {
            bySession.add(new Source(labels("target", s.target().name(), "initiator", s.initiatorName(), "isid",
                    String.format("0x%012x", s.isid()), "tsih", String.valueOf(s.tsih())),
                    s.statistics().snapshot()));
        }
        p.io("tandem_lun", "logical unit", luns);
        p.family("tandem_lun_commands_in_flight", "gauge", "Commands accepted by the logical unit, not completed.");
        for (IscsiTarget t : targets) {
            t.unitsByNumber().forEach((n, u) -> p.sample("tandem_lun_commands_in_flight",
                    labels("target", t.name(), "lun", String.valueOf(n)), u.commandsInFlight()));
        }
        p.family("tandem_lun_online", "gauge", "1 when the logical unit accepts commands, 0 when offline.");
        for (IscsiTarget t : targets) {
            t.unitsByNumber().forEach((n, u) -> p.sample("tandem_lun_online",
                    labels("target", t.name(), "lun", String.valueOf(n)), u.online() ? 1 : 0));
        }
        p.family("tandem_lun_capacity_bytes", "gauge", "Capacity of the logical unit in bytes.");
        for (IscsiTarget t : targets) {
            t.unitsByNumber().forEach((n, u) -> p.sample("tandem_lun_capacity_bytes",
                    labels("target", t.name(), "lun", String.valueOf(n)),
                    u.store().blockCount() * u.store().blockSize()));
        }
        p.io("tandem_session", "session", bySession);
        p.family("tandem_sessions", "gauge", "Sessions logged in, by target (discovery sessions under \"\").");
        for (IscsiTarget t : targets) {
            p.sample("tandem_sessions", labels("target", t.name()), catalog.sessionsOf(t).size());
        }
        p.sample("tandem_sessions", labels("target", ""), catalog.sessions().all().stream()
                .filter(Session::discovery).count());
        p.family("tandem_connections", "gauge", "iSCSI connections in full feature phase.");
        p.sample("tandem_connections", "", catalog.sessions().all().stream().mapToLong(Session::connectionCount)
                .sum());
        p.family("tandem_logins_total", "counter", "Logins that reached full feature phase.");
        p.sample("tandem_logins_total", "", catalog.logins().successes());
        p.family("tandem_login_failures_total", "counter", "Failed logins by Login Response status.");
        for (Map.Entry<LoginStatus, Long> e : catalog.logins().failures().entrySet()) {
            p.sample("tandem_login_failures_total", labels("reason", e.getKey().name().toLowerCase(Locale.ROOT)),
                    e.getValue());
        }
        return p.out.toString();
    }

    private void io(String prefix, String what, List<Source> sources) {
        family(prefix + "_commands_total", "counter", "SCSI commands completed by the " + what + ", by kind.");
        for (Source s : sources) {
            sample(prefix + "_commands_total", with(s.labels, "kind", "read"), s.stats.readCommands());
            sample(prefix + "_commands_total", with(s.labels, "kind", "write"), s.stats.writeCommands());
            sample(prefix + "_commands_total", with(s.labels, "kind", "other"), s.stats.otherCommands());
        }
        family(prefix + "_bytes_total", "counter", "Bytes read and written by the " + what + "'s commands.");
        for (Source s : sources) {
            sample(prefix + "_bytes_total", with(s.labels, "direction", "read"), s.stats.bytesRead());
            sample(prefix + "_bytes_total", with(s.labels, "direction", "write"), s.stats.bytesWritten());
        }
        family(prefix + "_errors_total", "counter", "Commands of the " + what + " that ended in a status other"
                + " than GOOD.");
        for (Source s : sources) {
            sample(prefix + "_errors_total", s.labels, s.stats.errors());
        }
        family(prefix + "_latency_seconds", "histogram", "Command latency at the " + what + ".");
        for (Source s : sources) {
            LatencyHistogram.Snapshot h = s.stats.latency();
            for (int i = 0; i < h.buckets(); i++) {
                sample(prefix + "_latency_seconds_bucket", with(s.labels, "le", h.upperBoundLabel(i)),
                        h.cumulative()[i]);
            }
            out.append(prefix).append("_latency_seconds_sum").append(braces(s.labels)).append(' ')
                    .append(h.sumNanos() / 1e9).append('\n');
            sample(prefix + "_latency_seconds_count", s.labels, h.count());
        }
    }

    private void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String labels, long value) {
        out.append(name).append(braces(labels)).append(' ').append(value).append('\n');
    }

    private static String braces(String labels) {
        return labels.isEmpty() ? "" : "{" + labels + "}";
    }

    private static String with(String labels, String name, String value) {
        String one = name + "=\"" + escape(value) + "\"";
        return labels.isEmpty() ? one : labels + "," + one;
    }

    private static String labels(String... nameValues) {
        String l = "";
        for (int i = 0; i < nameValues.length; i += 2) {
            l = with(l, nameValues[i], nameValues[i + 1]);
        }
        return l;
    }

    /** Label values escape backslash, double quote and line feed. */
    private static String escape(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
