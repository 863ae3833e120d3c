package org.tandem.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.ScsiResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admin endpoint and tandemctl against a live target with real initiators: sessions as libiscsi made them,
 * LUNs added and removed under iscsi-ls, a resize seen as a unit attention, bad requests answered while qemu-io
 * writes and verifies, and /metrics read by Prometheus' own parser.
 */
class AdminE2ETest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private static Path tandemctl() {
        Path jar = Tools.repositoryRoot().resolve("target-server/target/tandem.jar");
        assumeTrue(Files.exists(jar), "target-server/target/tandem.jar not built: run mvn verify from the top");
        return Tools.repositoryRoot().resolve("tools/tandemctl");
    }

    /** Runs the real tools/tandemctl against the fixture's endpoint. */
    private static Tools.Result ctl(TargetFixture t, String... args) {
        List<String> command = new ArrayList<>(List.of(tandemctl().toString(), "--url", t.adminUrl(), "--token-file",
                t.tokenFile().toString()));
        command.addAll(List.of(args));
        return Tools.run(60, command);
    }

    private static HttpResponse<String> http(TargetFixture t, String method, String path, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.adminUrl() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void requireLibiscsi() {
        assumeTrue(Tools.has("iscsi-ls") && Tools.has("iscsi-perf"), "libiscsi-bin is not installed");
    }

    @Test
    void sessionsShowsALiveLibiscsiSessionWithItsNegotiatedParameters() throws Exception {
        requireLibiscsi();
        try (TargetFixture t = TargetFixture.withAdmin(dir)) {
            Process perf = new ProcessBuilder("iscsi-perf", "-m", "4", "-b", "8", "-i",
                    "iqn.2026-11.org.tandem.test:perf", t.url(0)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("perf.log").toFile()).start();
            try {
                JsonNode sessions = JSON.createArrayNode();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (sessions.isEmpty() && System.nanoTime() < deadline && perf.isAlive()) {
                    Thread.sleep(100);
                    Tools.Result r = ctl(t, "--json", "sessions");
                    assertThat(r.ok()).as(r.output()).isTrue();
                    sessions = JSON.readTree(r.output());
                }
                assertThat(sessions).as("sessions while iscsi-perf runs").hasSize(1);
                JsonNode s = sessions.get(0);
                assertThat(s.path("initiatorName").asText()).isEqualTo("iqn.2026-11.org.tandem.test:perf");
                assertThat(s.path("target").asText()).isEqualTo(TargetFixture.TARGET);
                assertThat(s.path("tsih").asInt()).isPositive();
                assertThat(s.path("isid").asText()).matches("0x[0-9a-f]{12}");
                assertThat(s.path("parameters").path("maxBurstLength").asInt()).isPositive();
                assertThat(s.path("parameters").path("firstBurstLength").asInt()).isPositive();
                assertThat(s.path("connections").get(0).path("remoteAddress").asText()).contains("127.0.0.1");
                assertThat(s.path("connections").get(0).path("localAddress").asText()).endsWith(":" + t.port());

                Tools.Result table = ctl(t, "sessions");
                assertThat(table.ok()).as(table.output()).isTrue();
                assertThat(table.output()).contains("TSIH", "INITIATOR", "MAXBURST", "IMMEDIATE",
                        "iqn.2026-11.org.tandem.test:perf", s.path("isid").asText(), TargetFixture.TARGET,
                        String.valueOf(s.path("parameters").path("maxBurstLength").asInt()));

                Tools.Result stats = ctl(t, "stats");
                assertThat(stats.output()).contains("TSIH " + s.path("tsih").asInt(), "LUN 0");
            } finally {
                perf.destroy();
                perf.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void addLunIsSeenByIscsiLsWithoutARestartAndRemoveLunTakesAnIdleOneAway() throws Exception {
        requireLibiscsi();
        try (TargetFixture t = TargetFixture.withAdmin(dir)) {
            Tools.Result add = ctl(t, "add-lun", TargetFixture.TARGET, "--path", "lun1.img", "--create", "16M",
                    "--iomode", "wb");
            assertThat(add.ok()).as(add.output()).isTrue();
            assertThat(add.output()).contains("LUN 1 added to " + TargetFixture.TARGET + ": fileio 16.0 MiB");
            assertThat(Files.size(dir.resolve("lun1.img"))).isEqualTo(16L << 20);
            Tools.Result ls = Tools.run(30, "iscsi-ls", "-s", t.portal());
            // iscsi-ls prints the last LBA times the block size, one block short: 16 MiB shows as 15M.
            assertThat(ls.output()).contains("Lun:0", "Lun:1", "Size:15M");
            Tools.Result luns = ctl(t, "luns");
            assertThat(luns.output()).contains("16.0 MiB", dir.resolve("lun1.img").toString());

            Tools.Result remove = ctl(t, "remove-lun", TargetFixture.TARGET, "1");
            assertThat(remove.ok()).as(remove.output()).isTrue();
            ls = Tools.run(30, "iscsi-ls", "-s", t.portal());
            assertThat(ls.output()).contains("Lun:0").doesNotContain("Lun:1");
            assertThat(Files.exists(dir.resolve("lun1.img"))).as("the data stays").isTrue();

            Tools.Result again = ctl(t, "remove-lun", TargetFixture.TARGET, "1");
            assertThat(again.exit()).isEqualTo(1);
            assertThat(again.output()).contains("has no LUN 1 (HTTP 404)");
        }
    }

    @Test
    void resizeGivesALoggedInInitiatorCapacityDataHasChanged() throws Exception {
        try (TargetFixture t = TargetFixture.withAdmin(dir); TestInitiator i = new TestInitiator(t.port())) {
            int cmdSn = i.login(TargetFixture.TARGET).expCmdSn();
            byte[] testUnitReady = new byte[16];
            i.command(testUnitReady, 1, cmdSn++);
            ScsiResponse powerOn = (ScsiResponse) i.receive();
            assertThat(powerOn.data().getByte(2 + 12)).isEqualTo((byte) 0x29);
            powerOn.release();
            i.command(testUnitReady, 2, cmdSn++);
            ScsiResponse good = (ScsiResponse) i.receive();
            assertThat(good.status()).isZero();
            good.release();

            Tools.Result resize = ctl(t, "resize-lun", TargetFixture.TARGET, "0", "128M");
            assertThat(resize.ok()).as(resize.output()).isTrue();
            assertThat(resize.output()).contains("is now 128 MiB (262144 blocks)");

            i.command(testUnitReady, 3, cmdSn++);
            ScsiResponse ua = (ScsiResponse) i.receive();
            assertThat(ua.status()).isEqualTo(0x02);
            assertThat(ua.data().getByte(2 + 2) & 0x0f).as("sense key").isEqualTo(0x06);
            assertThat(ua.data().getByte(2 + 12)).as("ASC").isEqualTo((byte) 0x2a);
            assertThat(ua.data().getByte(2 + 13)).as("ASCQ: CAPACITY DATA HAS CHANGED").isEqualTo((byte) 0x09);
            ua.release();
            i.command(testUnitReady, 4, cmdSn);
            ScsiResponse after = (ScsiResponse) i.receive();
            assertThat(after.status()).isZero();
            after.release();
            assertThat(Files.size(dir.resolve("lun0.img"))).isEqualTo(128L << 20);
            if (Tools.has("iscsi-ls")) {
                assertThat(Tools.run(30, "iscsi-ls", "-s", t.portal()).output()).contains("Size:127M"); // last LBA x 512
            }
        }
    }

    @Test
    void offlineAnswersNotReadyButStillIdentifiesTheUnitAndOnlineBringsItBack() throws Exception {
        try (TargetFixture t = TargetFixture.withAdmin(dir); TestInitiator i = new TestInitiator(t.port())) {
            int cmdSn = i.login(TargetFixture.TARGET).expCmdSn();
            byte[] testUnitReady = new byte[16];
            i.command(testUnitReady, 1, cmdSn++);
            ((ScsiResponse) i.receive()).release(); // POWER ON unit attention
            assertThat(ctl(t, "offline", TargetFixture.TARGET, "0").output()).contains("is offline");
            i.command(testUnitReady, 2, cmdSn++);
            ScsiResponse notReady = (ScsiResponse) i.receive();
            assertThat(notReady.status()).isEqualTo(0x02);
            assertThat(notReady.data().getByte(2 + 2) & 0x0f).as("sense key NOT READY").isEqualTo(0x02);
            assertThat(notReady.data().getByte(2 + 12)).isEqualTo((byte) 0x04);
            assertThat(notReady.data().getByte(2 + 13)).as("MANUAL INTERVENTION REQUIRED").isEqualTo((byte) 0x03);
            notReady.release();
            // INQUIRY still answers, so the initiator keeps the device (libiscsi's tools would not log in: they
            // insist on a TEST UNIT READY that succeeds).
            i.command(new byte[] {0x12, 0, 0, 0, 36, 0}, 4, cmdSn++);
            ScsiResponse inquiry = (ScsiResponse) i.receive();
            assertThat(inquiry.status()).isZero();
            inquiry.release();
            assertThat(ctl(t, "health").output()).startsWith("degraded");
            assertThat(ctl(t, "online", TargetFixture.TARGET, "0").output()).contains("is online");
            i.command(testUnitReady, 3, cmdSn);
            ScsiResponse good = (ScsiResponse) i.receive();
            assertThat(good.status()).isZero();
            good.release();
        }
    }

    @Test
    void logoutAsksTheInitiatorByAsyncMessageAndClosesWhenItDoesNotComply() throws Exception {
        try (TargetFixture t = TargetFixture.withAdmin(dir); TestInitiator i = new TestInitiator(t.port())) {
            i.login(TargetFixture.TARGET);
            JsonNode sessions = JSON.readTree(ctl(t, "--json", "sessions").output());
            int tsih = sessions.get(0).path("tsih").asInt();
            long start = System.nanoTime();
            Tools.Result logout = ctl(t, "logout", String.valueOf(tsih), "--wait", "1");
            assertThat(logout.output()).contains("logout requested for session " + tsih);
            org.tandem.iscsi.pdu.AsyncMessage asked = (org.tandem.iscsi.pdu.AsyncMessage) i.receive();
            assertThat(asked.asyncEvent()).isEqualTo(org.tandem.iscsi.pdu.AsyncMessage.LOGOUT_REQUESTED);
            assertThat(asked.parameter3()).as("seconds to log out").isEqualTo(1);
            asked.release();
            assertThat(i.closedByTarget()).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(ctl(t, "logout", String.valueOf(tsih)).output()).contains("no session with TSIH " + tsih);
        }
    }

    @Test
    void tandemctlSpeaksTlsWithTheSelfSignedCertificateItFindsInAdminConf() throws Exception {
        Path conf = dir.resolve("admin.conf");
        Files.writeString(conf, "Listen 127.0.0.1:0\nTls self-signed\n");
        try (TargetFixture t = TargetFixture.withAdmin(dir,
                org.tandem.server.admin.AdminSettings.read(conf))) {
            assertThat(t.adminUrl()).startsWith("https://127.0.0.1:");
            List<String> command = List.of(tandemctl().toString(), "--config", conf.toString(), "--url",
                    t.adminUrl(), "targets");
            Tools.Result r = Tools.run(60, command);
            assertThat(r.ok()).as(r.output()).isTrue();
            assertThat(r.output()).contains(TargetFixture.TARGET);
            Tools.Result plain = ctl(t, "targets"); // http:// to a TLS port: refused, clearly
            assertThat(plain.exit()).isNotZero();
        }
    }

    @Test
    void badRequestsGetClearFourHundredsWhileQemuIoWritesAndVerifies() throws Exception {
        assumeTrue(Tools.has("qemu-io"), "qemu-utils is not installed");
        try (TargetFixture t = TargetFixture.withAdmin(dir)) {
            List<String> qemu = new ArrayList<>(List.of("qemu-io", "-f", "raw"));
            for (int round = 0; round < 24; round++) {
                int pattern = 0x10 + round;
                long offset = (round % 6) * (8L << 20);
                qemu.addAll(List.of("-c", "write -P " + pattern + " " + offset + " 8M", "-c",
                        "read -P " + pattern + " " + offset + " 8M"));
            }
            qemu.add(t.url(0));
            Process io = new ProcessBuilder(qemu).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("qemu-io.log").toFile()).start();
            String token = t.token();
            String lun = "/targets/" + TargetFixture.TARGET + "/luns/0";
            List<String> seen = new ArrayList<>();
            int rounds = 0;
            int roundsWhileWriting = 0;
            // Send every kind of bad request while the writes run (bounded: 20 rounds or until qemu-io is done).
            do {
                expect(seen, http(t, "GET", "/targets", null, null), 401, "Authorization: Bearer");
                expect(seen, http(t, "GET", "/targets", null, token + "0"), 401, "wrong");
                expect(seen, http(t, "POST", "/targets", "{\"name\": ", token), 400, "malformed JSON");
                expect(seen, http(t, "POST", "/targets/" + TargetFixture.TARGET + "/luns", "{\"paht\": \"x.img\"}",
                        token), 400, "unknown field 'paht'");
                expect(seen, http(t, "GET", "/targets/iqn.2026-11.org.tandem.test:nosuch", null, token), 404,
                        "no target iqn.2026-11.org.tandem.test:nosuch");
                expect(seen, http(t, "GET", "/targets/" + TargetFixture.TARGET + "/luns/9", null, token), 404,
                        "no LUN 9");
                expect(seen, http(t, "DELETE", lun, null, token), 409, "is in use");
                expect(seen, http(t, "PATCH", lun, "{\"size\": \"1M\"}", token), 409, "shrinking");
                expect(seen, http(t, "PUT", "/sessions", "{}", token), 405, "PUT is not allowed");
                rounds++;
                if (io.isAlive()) {
                    roundsWhileWriting++;
                }
            } while (rounds < 20 && io.isAlive());
            assertThat(roundsWhileWriting).as("rounds of bad requests that ended while qemu-io still ran")
                    .isPositive();
            assertThat(io.waitFor(120, TimeUnit.SECONDS)).as("qemu-io finished").isTrue();
            String log = Files.readString(dir.resolve("qemu-io.log"));
            assertThat(io.exitValue()).as(log).isZero();
            assertThat(log).doesNotContain("Pattern verification failed", "error", "failed");
            assertThat(log.split("read 8388608/8388608 bytes", -1)).hasSize(25);
            assertThat(seen).as("answers seen while I/O ran").hasSize(9 * rounds);
            // And the data is what the last round of each region wrote.
            Tools.Result verify = Tools.run(60, "qemu-io", "-f", "raw", "-c", "read -P " + (0x10 + 23) + " "
                    + (5 * (8L << 20)) + " 8M", t.url(0));
            assertThat(verify.output()).contains("read 8388608/8388608").doesNotContain("verification failed");
            assertThat(Files.exists(dir.resolve("x.img"))).isFalse();
        }
    }

    private static void expect(List<String> seen, HttpResponse<String> r, int status, String detail) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isNotEmpty();
        assertThat(body.path("detail").asText()).contains(detail);
        seen.add(status + " " + body.path("detail").asText());
    }

    @Test
    void metricsParseWithPrometheusOwnParserAndMoveWithIo() throws Exception {
        assumeTrue(Tools.has("qemu-io"), "qemu-utils is not installed");
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python) && Tools.run(30, python.toString(), "-c", "import prometheus_client")
                .ok(), "python3-prometheus-client is not installed");
        try (TargetFixture t = TargetFixture.withAdmin(dir)) {
            Map<String, Double> before = scrape(t, python);
            String write = "tandem_lun_bytes_total{direction=write,lun=0,target=" + TargetFixture.TARGET + "}";
            assertThat(before).containsEntry(write, 0.0);
            Tools.Result io = Tools.run(60, "qemu-io", "-f", "raw", "-c", "write -P 0x77 0 4M", "-c",
                    "read -P 0x77 0 4M", t.url(0));
            assertThat(io.ok()).as(io.output()).isTrue();
            Map<String, Double> after = scrape(t, python);
            assertThat(after.get(write)).isEqualTo(4.0 * (1 << 20));
            String read = "tandem_lun_bytes_total{direction=read,lun=0,target=" + TargetFixture.TARGET + "}";
            assertThat(after.get(read)).isGreaterThanOrEqualTo(4.0 * (1 << 20));
            String writes = "tandem_lun_commands_total{kind=write,lun=0,target=" + TargetFixture.TARGET + "}";
            assertThat(after.get(writes)).isGreaterThan(before.get(writes));
            String count = "tandem_lun_latency_seconds_count{lun=0,target=" + TargetFixture.TARGET + "}";
            String inf = "tandem_lun_latency_seconds_bucket{le=+Inf,lun=0,target=" + TargetFixture.TARGET + "}";
            assertThat(after.get(count)).isGreaterThan(before.get(count)).isEqualTo(after.get(inf));
            assertThat(after.get("tandem_logins_total")).isGreaterThan(before.get("tandem_logins_total"));
            assertThat(after).containsKey("tandem_login_failures_total{reason=authentication_failure}");
        }
    }

    /**
     * Fetches /metrics and parses it with prometheus_client's text parser (which refuses malformed exposition),
     * returning each sample as "name{label=value,...}" (labels sorted) to its value.
     */
    private static Map<String, Double> scrape(TargetFixture t, Path python) throws Exception {
        HttpResponse<String> r = http(t, "GET", "/metrics", null, t.token());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        Path text = Files.writeString(Files.createTempFile(t.dir(), "metrics", ".txt"), r.body());
        String script = String.join("\n",
                "import json, sys",
                "from prometheus_client.parser import text_string_to_metric_families",
                "out = {}",
                "for family in text_string_to_metric_families(open(sys.argv[1]).read()):",
                "    for s in family.samples:",
                "        labels = ','.join('%s=%s' % kv for kv in sorted(s.labels.items()))",
                "        out[s.name + ('{' + labels + '}' if labels else '')] = s.value",
                "print(json.dumps(out))");
        Tools.Result parsed = Tools.run(60, python.toString(), "-c", script, text.toString());
        assertThat(parsed.ok()).as(parsed.output()).isTrue();
        JsonNode samples = JSON.readTree(parsed.output());
        Map<String, Double> values = new java.util.HashMap<>();
        samples.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asDouble()));
        assertThat(values).isNotEmpty();
        return values;
    }
}
