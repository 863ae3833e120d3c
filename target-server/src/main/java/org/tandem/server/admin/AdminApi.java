package org.tandem.server.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.control.LunRequest;
import org.tandem.server.control.TargetControl;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources of the admin endpoint and what each method does to them; see /openapi.json for the contract.
 * Handlers run on the admin executor, never on an event loop, since changes open files and wait for I/O.
 */
final class AdminApi {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGTP]?)(i?B)?", Pattern.CASE_INSENSITIVE);

    private final TargetControl control;
    private final TargetCatalog catalog;
    private final ObjectMapper json;
    private final long startNanos = System.nanoTime();
    private final byte[] openApi;
    private final Router router = new Router();

    // Request bodies: unknown fields are refused (FAIL_ON_UNKNOWN_PROPERTIES), so a typo is an error, not a no-op.
    record CreateTarget(String name, String alias, Map<String, String> settings) {
    }

    record AddLun(Integer lun, String path, String type, String ioMode, Integer blockSize, Long blocks,
                  String scsiId, String scsiSn, String createSize) {
    }

    record ChangeLun(Boolean online, String size) {
    }

    record Account(String user, String secret) {
    }

    record Access(List<Account> incoming, Account outgoing, List<String> initiators) {
    }

    record AccessView(List<String> incomingUsers, String outgoingUser, List<String> initiators,
                      Views.DenyView initiatorsDeny) {
    }

    record LogoutView(int tsih, String initiatorName, int closesWithinSeconds) {
    }

    record SaveView(String file) {
    }

    AdminApi(TargetControl control) {
        this.control = control;
        this.catalog = control.catalog();
        this.json = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(SerializationFeature.INDENT_OUTPUT);
        this.openApi = resource("openapi.json");
        router.add(HttpMethod.GET, "/health", r -> ok(health()))
                .add(HttpMethod.GET, "/openapi.json", r -> HttpAnswer.json(HttpResponseStatus.OK, openApi))
                .add(HttpMethod.GET, "/metrics", r -> HttpAnswer.text(HttpResponseStatus.OK,
                        PrometheusExposition.CONTENT_TYPE, PrometheusExposition.render(catalog)))
                .add(HttpMethod.GET, "/targets", r -> ok(catalog.targets().stream()
                        .map(t -> Views.target(t, catalog)).toList()))
                .add(HttpMethod.POST, "/targets", this::createTarget)
                .add(HttpMethod.GET, "/targets/{target}", r -> ok(Views.target(control.target(r.param("target")),
                        catalog)))
                .add(HttpMethod.DELETE, "/targets/{target}", r -> {
                    control.deleteTarget(r.param("target"), r.flag("force"));
                    return noContent();
                })
                .add(HttpMethod.GET, "/targets/{target}/luns", r -> ok(Views.target(
                        control.target(r.param("target")), catalog).luns()))
                .add(HttpMethod.POST, "/targets/{target}/luns", this::addLun)
                .add(HttpMethod.GET, "/targets/{target}/luns/{lun}", r -> ok(lunView(r.param("target"),
                        r.intParam("lun"))))
                .add(HttpMethod.PATCH, "/targets/{target}/luns/{lun}", this::changeLun)
                .add(HttpMethod.DELETE, "/targets/{target}/luns/{lun}", r -> {
                    control.removeLun(r.param("target"), r.intParam("lun"), r.flag("force"));
                    return noContent();
                })
                .add(HttpMethod.GET, "/targets/{target}/access", r -> ok(access(r.param("target"))))
                .add(HttpMethod.PUT, "/targets/{target}/access", this::changeAccess)
                .add(HttpMethod.GET, "/sessions", this::sessions)
                .add(HttpMethod.GET, "/sessions/{tsih}", r -> ok(Views.session(control.session(r.intParam("tsih")))))
                .add(HttpMethod.DELETE, "/sessions/{tsih}", this::logout)
                .add(HttpMethod.GET, "/stats", r -> ok(stats()))
                .add(HttpMethod.GET, "/cluster", r -> ok(control.clusterStatus()))
                .add(HttpMethod.POST, "/cluster/groups/{group}/switchover", r -> {
                    control.switchover(r.param("group"));
                    return ok(control.clusterStatus());
                })
                .add(HttpMethod.POST, "/config/reload", r -> ok(control.reload()))
                .add(HttpMethod.POST, "/config/save", r -> ok(new SaveView(control.save(r.flag("force"))
                        .toString())));
    }

    Router router() {
        return router;
    }

    ObjectMapper json() {
        return json;
    }

    byte[] write(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private HttpAnswer ok(Object value) {
        return HttpAnswer.json(HttpResponseStatus.OK, write(value));
    }

    private static HttpAnswer noContent() {
        return new HttpAnswer(HttpResponseStatus.NO_CONTENT, null, new byte[0], Map.of());
    }

    private HttpAnswer created(String location, Object value) {
        return HttpAnswer.json(HttpResponseStatus.CREATED, write(value)).withHeader("Location", location);
    }

    private Views.HealthView health() {
        int luns = 0;
        int offline = 0;
        for (IscsiTarget t : catalog.targets()) {
            for (LogicalUnit u : t.units()) {
                luns++;
                if (!u.online()) {
                    offline++;
                }
            }
        }
        long failures = catalog.logins().failures().values().stream().mapToLong(Long::longValue).sum();
        return new Views.HealthView(offline == 0 ? "ok" : "degraded", (System.nanoTime() - startNanos) / 1_000_000_000L,
                catalog.targets().size(), luns, offline, catalog.sessions().all().size(), failures);
    }

    private HttpAnswer createTarget(ApiRequest r) throws Exception {
        CreateTarget body = r.body(CreateTarget.class);
        IscsiTarget t = control.createTarget(body.name(), body.alias(),
                body.settings() == null ? Map.of() : body.settings());
        return created("/targets/" + t.name(), Views.target(t, catalog));
    }

    private HttpAnswer addLun(ApiRequest r) throws Exception {
        AddLun b = r.body(AddLun.class);
        Long create = b.createSize() == null ? null : bytes(b.createSize(), "createSize");
        String target = r.param("target");
        LogicalUnit u = control.addLun(target, new LunRequest(b.lun(), b.path(), b.type(), b.ioMode(),
                b.blockSize(), b.blocks(), b.scsiId(), b.scsiSn(), create));
        int n = u.identity().lun();
        return created("/targets/" + target + "/luns/" + n, lunView(target, n));
    }

    private HttpAnswer changeLun(ApiRequest r) throws Exception {
        ChangeLun b = r.body(ChangeLun.class);
        String target = r.param("target");
        int lun = r.intParam("lun");
        control.lun(target, lun);
        if (b.online() == null && b.size() == null) {
            throw ApiException.badRequest("nothing to change: give online and/or size");
        }
        if (b.size() != null) {
            control.resizeLun(target, lun, bytes(b.size(), "size"), r.flag("force"));
        }
        if (Boolean.FALSE.equals(b.online())) {
            control.offline(target, lun);
        } else if (Boolean.TRUE.equals(b.online())) {
            control.online(target, lun);
        }
        return ok(lunView(target, lun));
    }

    private Views.LunView lunView(String target, int lun) throws Exception {
        LogicalUnit u = control.lun(target, lun);
        return Views.lun(lun, u, control.target(target).config().lun(lun));
    }

    private AccessView access(String target) throws Exception {
        IscsiTarget t = control.target(target);
        return new AccessView(t.config().incoming().stream().map(ChapAccount::name).toList(),
                t.config().outgoing() == null ? null : t.config().outgoing().name(),
                catalog.initiatorsAllow().rulesFor(target), Views.deny(catalog, target));
    }

    private HttpAnswer changeAccess(ApiRequest r) throws Exception {
        Access b = r.body(Access.class);
        List<ChapAccount> incoming = new ArrayList<>();
        for (Account a : b.incoming() == null ? List.<Account>of() : b.incoming()) {
            incoming.add(account(a));
        }
        control.access(r.param("target"), incoming, b.outgoing() == null ? null : account(b.outgoing()),
                b.initiators());
        return ok(access(r.param("target")));
    }

    private static ChapAccount account(Account a) throws ApiException {
        if (a == null || a.user() == null || a.secret() == null) {
            throw ApiException.badRequest("an account needs user and secret");
        }
        return new ChapAccount(a.user(), a.secret());
    }

    private HttpAnswer sessions(ApiRequest r) throws Exception {
        String target = r.queryValue("target");
        if (target != null) {
            control.target(target);
        }
        return ok(catalog.sessions().all().stream()
                .filter(s -> target == null || (!s.discovery() && s.target().name().equals(target)))
                .sorted(Comparator.comparingInt(Session::tsih)).map(Views::session).toList());
    }

    private HttpAnswer logout(ApiRequest r) throws Exception {
        String wait = r.queryValue("wait");
        int seconds = TargetControl.LOGOUT_SECONDS;
        if (wait != null) {
            try {
                seconds = Integer.parseInt(wait);
            } catch (NumberFormatException e) {
                seconds = -1;
            }
            if (seconds < 0 || seconds > 3600) {
                throw ApiException.badRequest("wait must be 0 to 3600 seconds, got '" + wait + "'");
            }
        }
        Session s = control.logout(r.intParam("tsih"), seconds);
        return HttpAnswer.json(HttpResponseStatus.ACCEPTED, write(new LogoutView(s.tsih(), s.initiatorName(),
                seconds)));
    }

    private Views.StatsReport stats() {
        List<Views.LunStatsView> luns = new ArrayList<>();
        for (IscsiTarget t : catalog.targets()) {
            t.unitsByNumber().forEach((n, u) -> luns.add(new Views.LunStatsView(t.name(), n,
                    Views.stats(u.statistics()))));
        }
        List<Views.SessionStatsView> sessions = catalog.sessions().all().stream().filter(s -> !s.discovery())
                .sorted(Comparator.comparingInt(Session::tsih))
                .map(s -> new Views.SessionStatsView(s.tsih(), s.initiatorName(), s.target().name(),
                        Views.stats(s.statistics()))).toList();
        return new Views.StatsReport(luns, sessions);
    }

    /** A size in bytes: a number, optionally with K, M, G, T or P (powers of 1024), "iB" or "B" after it. */
    static long bytes(String text, String field) throws ApiException {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) {
            throw ApiException.badRequest(field + " must be a number of bytes or a size such as 512M or 2G, got '"
                    + text + "'");
        }
        int shift = "KMGTP".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << (10 * shift));
        } catch (ArithmeticException | NumberFormatException e) {
            throw ApiException.badRequest(field + " '" + text + "' is too large");
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For tests: the routes' request bodies by name, to check the OpenAPI document against. */
    static Map<String, Class<?>> bodies() {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        m.put("CreateTarget", CreateTarget.class);
        m.put("AddLun", AddLun.class);
        m.put("ChangeLun", ChangeLun.class);
        m.put("Access", Access.class);
        return m;
    }
}
