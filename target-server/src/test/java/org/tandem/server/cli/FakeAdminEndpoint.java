package org.tandem.server.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An admin endpoint on loopback that answers canned JSON and keeps the requests, so that tandemctl's tests see
 * exactly what it sends and prints. Unknown requests get 404.
 */
final class FakeAdminEndpoint implements AutoCloseable {
    static final String TOKEN = "t0k3n";

    /** One request as the endpoint received it: method, path with query, body and the bearer token. */
    record Request(String method, String path, String body, String authorization) {
    }

    /** What tandemctl printed and its exit status. */
    record Run(int exit, String out, String err) {
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final Path dir;

    FakeAdminEndpoint(Path dir) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Answers {@code method path} (path with its query) with status 200 and this JSON. */
    FakeAdminEndpoint answer(String method, String path, String json) {
        return answer(method, path, 200, json);
    }

    FakeAdminEndpoint answer(String method, String path, int status, String body) {
        answers.put(method + " " + path, new Answer(status, body));
        return this;
    }

    synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Runs tandemctl against this endpoint, with an admin.conf that does not exist (so defaults, then overrides). */
    Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", dir.resolve("admin.conf").toString(), "--url",
                "http://127.0.0.1:" + server.getAddress().getPort() + "/", "--token-file",
                dir.resolve("token").toString()));
        all.addAll(List.of(args));
        return runTandemCtl(all.toArray(String[]::new));
    }

    /** Runs tandemctl with exactly these arguments. */
    static Run runTandemCtl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TandemCtl.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                : "?" + exchange.getRequestURI().getRawQuery());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        synchronized (this) {
            requests.add(new Request(method, path, body, exchange.getRequestHeaders().getFirst("Authorization")));
        }
        Answer a = answers.getOrDefault(method + " " + path, new Answer(404,
                "{\"detail\":\"no such resource: " + path + "\"}"));
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(a.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
