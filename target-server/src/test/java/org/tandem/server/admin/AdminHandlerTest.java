package org.tandem.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.control.ConfigFile;
import org.tandem.server.control.TargetControl;
import org.tandem.server.session.TargetCatalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint's HTTP behaviour on an EmbeddedChannel: authentication, routing, bodies, errors, resources. */
class AdminHandlerTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:admin";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private EmbeddedChannel channel;
    private String token;

    @BeforeEach
    void start() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "# test target\nTarget " + TARGET + "\n    Lun 0 Type=nullio,Blocks=2048\n");
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        TokenFile tokens = TokenFile.loadOrCreate(dir.resolve("admin.token"));
        token = TokenFile.read(dir.resolve("admin.token"));
        AdminApi api = new AdminApi(new TargetControl(catalog, ConfigFile.of(config)));
        channel = new EmbeddedChannel(new AdminHandler(api, tokens, Runnable::run));
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        catalog.close();
    }

    private FullHttpResponse call(HttpMethod method, String uri, String body, String auth, String contentType) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (auth != null) {
            r.headers().set(HttpHeaderNames.AUTHORIZATION, auth);
        }
        if (contentType != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        channel.writeInbound(r);
        return channel.readOutbound();
    }

    private FullHttpResponse call(HttpMethod method, String uri, String body) {
        return call(method, uri, body, "Bearer " + token, "application/json");
    }

    private static JsonNode json(FullHttpResponse r) throws Exception {
        try {
            return JSON.readTree(r.content().toString(StandardCharsets.UTF_8));
        } finally {
            r.release();
        }
    }

    private static void assertError(FullHttpResponse r, int status, String error, String detail) throws Exception {
        assertThat(r.status().code()).isEqualTo(status);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode body = json(r);
        assertThat(body.path("error").asText()).isEqualTo(error);
        assertThat(body.path("detail").asText()).contains(detail);
        assertThat(body.toString()).doesNotContain("at org.tandem", "Exception:");
    }

    @Test
    void tokenFileIsPrivateAndEveryRequestNeedsTheToken() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("admin.token"))))
                .isEqualTo("rw-------");
        FullHttpResponse none = call(HttpMethod.GET, "/targets", null, null, null);
        assertThat(none.headers().get("WWW-Authenticate")).startsWith("Bearer");
        assertError(none, 401, "unauthorized", "Authorization: Bearer");
        assertError(call(HttpMethod.GET, "/metrics", null, "Bearer " + token + "x", null), 401, "unauthorized",
                "wrong");
        assertError(call(HttpMethod.GET, "/health", null, "Basic dXNlcjpwYXNz", null), 401, "unauthorized",
                "Bearer");
        assertThat(json(call(HttpMethod.GET, "/health", null)).path("status").asText()).isEqualTo("ok");
    }

    @Test
    void unknownPathsMethodsAndTargetsAreNamed() throws Exception {
        assertError(call(HttpMethod.GET, "/nothing", null), 404, "not found", "/nothing");
        FullHttpResponse r = call(HttpMethod.PUT, "/targets", "{}");
        assertThat(r.headers().get("Allow")).isEqualTo("GET, POST");
        assertError(r, 405, "method not allowed", "PUT");
        assertError(call(HttpMethod.GET, "/targets/iqn.2026-11.org.nope:x", null), 404, "not found",
                "no target iqn.2026-11.org.nope:x");
        assertError(call(HttpMethod.GET, "/targets/" + TARGET + "/luns/7", null), 404, "not found", "no LUN 7");
        assertError(call(HttpMethod.GET, "/targets/" + TARGET + "/luns/x", null), 404, "not found", "'x'");
        assertError(call(HttpMethod.GET, "/sessions/99", null), 404, "not found", "TSIH 99");
    }

    @Test
    void badBodiesAreRefusedWithWhatIsWrong() throws Exception {
        String luns = "/targets/" + TARGET + "/luns";
        assertError(call(HttpMethod.POST, luns, "{\"type\": \"nullio\", "), 400, "bad request", "malformed JSON");
        assertError(call(HttpMethod.POST, luns, "{\"type\": \"nullio\", \"colour\": \"red\"}"), 400, "bad request",
                "unknown field 'colour'");
        assertError(call(HttpMethod.POST, luns, "{\"type\": \"nullio\"} {}"), 400, "bad request", "malformed JSON");
        assertError(call(HttpMethod.POST, luns, "null"), 400, "bad request", "not null");
        assertError(call(HttpMethod.POST, luns, null), 400, "bad request", "needs a JSON body");
        assertError(call(HttpMethod.POST, luns, "type=nullio", "Bearer " + token, "application/x-www-form-urlencoded"),
                415, "unsupported media type", "application/json");
        assertError(call(HttpMethod.POST, luns, "{\"type\": \"floppy\"}"), 400, "bad request",
                "expected Type=fileio, blockio or nullio, got 'floppy'");
        assertError(call(HttpMethod.POST, luns, "{\"path\": \"no-such.img\"}"), 400, "bad request", "no-such.img");
        assertError(call(HttpMethod.POST, luns, "{\"path\": \"a,b.img\"}"), 400, "bad request", "commas");
        assertError(call(HttpMethod.POST, luns, "{\"lun\": 0, \"type\": \"nullio\"}"), 409, "conflict",
                "already has LUN 0");
        assertError(call(HttpMethod.PATCH, luns + "/0", "{\"size\": \"lots\"}"), 400, "bad request", "512M");
        assertError(call(HttpMethod.PATCH, luns + "/0", "{}"), 400, "bad request", "nothing to change");
        assertError(call(HttpMethod.POST, "/targets", "{\"name\": \"disk1\"}"), 400, "bad request", "iqn.");
        assertError(call(HttpMethod.DELETE, "/sessions/1?wait=forever", null), 400, "bad request", "wait must be");
        assertError(call(HttpMethod.DELETE, "/sessions/1", null), 404, "not found", "TSIH 1");
        assertThat(catalog.target(TARGET).lunNumbers()).containsExactly(0);
    }

    @Test
    void lunsAreAddedResizedTakenOfflineAndRemoved() throws Exception {
        String luns = "/targets/" + TARGET + "/luns";
        FullHttpResponse created = call(HttpMethod.POST, luns, "{\"type\": \"nullio\", \"blocks\": 4096}");
        assertThat(created.status().code()).isEqualTo(201);
        assertThat(created.headers().get("Location")).isEqualTo(luns + "/1");
        assertThat(json(created).path("sizeBytes").asLong()).isEqualTo(4096L * 512);
        assertError(call(HttpMethod.PATCH, luns + "/1", "{\"size\": \"1M\"}"), 409, "conflict", "shrinking");
        JsonNode grown = json(call(HttpMethod.PATCH, luns + "/1", "{\"size\": \"4M\"}"));
        assertThat(grown.path("blocks").asLong()).isEqualTo(8192);
        assertThat(catalog.target(TARGET).config().lun(1).store().blocks()).isEqualTo(8192);
        JsonNode off = json(call(HttpMethod.PATCH, luns + "/1", "{\"online\": false}"));
        assertThat(off.path("online").asBoolean()).isFalse();
        assertThat(json(call(HttpMethod.GET, "/health", null)).path("status").asText()).isEqualTo("degraded");
        FullHttpResponse gone = call(HttpMethod.DELETE, luns + "/1", null);
        assertThat(gone.status().code()).isEqualTo(204);
        gone.release();
        assertThat(catalog.target(TARGET).lunNumbers()).containsExactly(0);
    }

    @Test
    void targetsAndAccessChangeWithoutSecretsInAnswers() throws Exception {
        FullHttpResponse r = call(HttpMethod.POST, "/targets", "{\"name\": \"iqn.2026-11.org.tandem.test:new\","
                + " \"settings\": {\"MaxConnections\": \"4\"}}");
        assertThat(r.status().code()).isEqualTo(201);
        assertThat(json(r).path("settings").path("MaxConnections").asInt()).isEqualTo(4);
        assertError(call(HttpMethod.POST, "/targets", "{\"name\": \"iqn.2026-11.org.tandem.test:x\", \"settings\":"
                + " {\"MaxConnections\": \"0\"}}"), 400, "bad request", "MaxConnections 0 out of range");
        JsonNode access = json(call(HttpMethod.PUT, "/targets/" + TARGET + "/access", "{\"incoming\": [{\"user\":"
                + " \"alice\", \"secret\": \"alicesecret12\"}], \"initiators\": [\"10.0.0.0/8\", \"iqn.1993-08.*\"]}"));
        assertThat(access.path("incomingUsers").get(0).asText()).isEqualTo("alice");
        assertThat(access.toString()).doesNotContain("alicesecret12");
        assertThat(catalog.target(TARGET).config().incoming()).hasSize(1);
        assertThat(catalog.initiatorsAllow().rulesFor(TARGET)).containsExactly("10.0.0.0/8", "iqn.1993-08.*");
        assertError(call(HttpMethod.PUT, "/targets/" + TARGET + "/access", "{\"outgoing\": {\"user\": \"t\","
                + " \"secret\": \"targetsecret1\"}}"), 400, "bad request", "needs at least one IncomingUser");
        FullHttpResponse del = call(HttpMethod.DELETE, "/targets/iqn.2026-11.org.tandem.test:new", null);
        assertThat(del.status().code()).isEqualTo(204);
        del.release();
        assertThat(catalog.target("iqn.2026-11.org.tandem.test:new")).isNull();
    }

    @Test
    void accessAndTargetViewsShowInitiatorsDenyWhileOneIsInForce() throws Exception {
        String access = "/targets/" + TARGET + "/access";
        assertThat(json(call(HttpMethod.GET, access, null)).path("initiatorsDeny").isNull()).isTrue();
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        call(HttpMethod.POST, "/config/reload", null).release();
        JsonNode deny = json(call(HttpMethod.PUT, access, "{\"initiators\": [\"iqn\\\\.2026-11\\\\..*\"]}"))
                .path("initiatorsDeny");
        assertThat(deny.path("rules").toString()).isEqualTo("[\"ALL\"]");
        assertThat(deny.path("effect").asText())
                .isEqualTo("initiators.deny refuses every initiator that initiators.allow does not allow");
        JsonNode target = json(call(HttpMethod.GET, "/targets/" + TARGET, null));
        assertThat(target.path("initiators").toString()).isEqualTo("[\"iqn\\\\.2026-11\\\\..*\"]");
        assertThat(target.path("initiatorsDeny")).isEqualTo(deny);
    }

    @Test
    void savingWritesTheRunningConfigurationAndRefusesOverAnEdit() throws Exception {
        call(HttpMethod.POST, "/targets/" + TARGET + "/luns", "{\"type\": \"nullio\", \"blocks\": 100}").release();
        assertThat(json(call(HttpMethod.POST, "/config/save", null)).path("file").asText())
                .isEqualTo(dir.resolve("ietd.conf").toString());
        assertThat(Files.readString(dir.resolve("ietd.conf"))).isEqualTo("# test target\nTarget " + TARGET
                + "\n    Lun 0 Type=nullio,Blocks=2048\n    Lun 1 Type=nullio,Blocks=100\n");
        Files.writeString(dir.resolve("ietd.conf"), "# edited by hand\n", java.nio.file.StandardOpenOption.APPEND);
        assertError(call(HttpMethod.POST, "/config/save", null), 409, "conflict", "edited since");
        assertThat(json(call(HttpMethod.POST, "/config/reload", null)).path("targetsUnchanged").asInt()).isOne();
        FullHttpResponse saved = call(HttpMethod.POST, "/config/save", null);
        assertThat(saved.status().code()).isEqualTo(200);
        saved.release();
    }

    @Test
    void openApiDocumentDescribesEveryRouteAndBody() throws Exception {
        JsonNode doc = json(call(HttpMethod.GET, "/openapi.json", null));
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        for (String path : new String[] {"/health", "/metrics", "/targets", "/targets/{target}",
                "/targets/{target}/luns", "/targets/{target}/luns/{lun}", "/targets/{target}/access", "/sessions",
                "/sessions/{tsih}", "/stats", "/config/reload", "/config/save"}) {
            assertThat(doc.path("paths").has(path)).as(path).isTrue();
        }
        AdminApi.bodies().forEach((name, type) -> {
            JsonNode schema = doc.path("components").path("schemas").path(name);
            assertThat(schema.isMissingNode()).as(name).isFalse();
            for (var component : type.getRecordComponents()) {
                assertThat(schema.path("properties").has(component.getName())).as(name + "." + component.getName())
                        .isTrue();
            }
        });
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        FullHttpResponse r = call(HttpMethod.GET, "/metrics", null);
        assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/plain; version=0.0.4");
        String text = r.content().toString(StandardCharsets.UTF_8);
        r.release();
        assertThat(text).contains("# TYPE tandem_lun_latency_seconds histogram",
                "tandem_lun_commands_total{target=\"" + TARGET + "\",lun=\"0\",kind=\"read\"} 0",
                "tandem_lun_latency_seconds_bucket{target=\"" + TARGET + "\",lun=\"0\",le=\"+Inf\"} 0",
                "tandem_login_failures_total{reason=\"authentication_failure\"} 0");
    }
}
