package org.tandem.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.tandem.server.admin.AdminSettings;
import org.tandem.server.admin.TokenFile;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/**
 * Talks to the admin endpoint: the URL and token come from admin.conf (the daemon's own file), TLS trusts the
 * certificate named there (self-signed ones included). Failures are {@link Failure}s with the words to print.
 */
final class AdminClient {
    private final HttpClient http;
    private final String url;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();

    /** Something the user should read: the daemon is down, the token unreadable, or the server said no. */
    static final class Failure extends Exception {
        private final int exitCode;

        Failure(int exitCode, String message) {
            super(message, null, false, false);
            this.exitCode = exitCode;
        }

        int exitCode() {
            return exitCode;
        }
    }

    AdminClient(AdminSettings settings, String urlOverride, Path tokenOverride) throws Failure {
        this.url = urlOverride != null ? strip(urlOverride) : settings.url();
        Path tokenFile = tokenOverride != null ? tokenOverride : settings.tokenFile();
        try {
            this.token = TokenFile.read(tokenFile);
        } catch (IOException e) {
            throw new Failure(3, "cannot read the admin token from " + tokenFile + " (" + e.getMessage()
                    + "); the daemon creates it at first start, and only its owner (root) may read it");
        }
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (url.startsWith("https:") && Files.exists(settings.certificate())) {
            b.sslContext(trusting(settings.certificate()));
        }
        this.http = b.build();
    }

    String url() {
        return url;
    }

    JsonNode get(String path) throws Failure {
        return send("GET", path, null);
    }

    String getText(String path) throws Failure {
        return exchange("GET", path, null);
    }

    JsonNode send(String method, String path, Object body) throws Failure {
        String text = exchange(method, path, body);
        try {
            return text.isEmpty() ? json.nullNode() : json.readTree(text);
        } catch (IOException e) {
            throw new Failure(1, "the daemon answered with something that is not JSON: " + e.getMessage());
        }
    }

    private String exchange(String method, String path, Object body) throws Failure {
        HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
        if (body != null) {
            try {
                publisher = HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, publisher).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new Failure(3, "cannot reach the Tandem daemon at " + url + " (connection refused): is it running?"
                    + " (systemctl status tandem, or tools/tandemd for the demo)");
        } catch (HttpTimeoutException e) {
            throw new Failure(3, "the Tandem daemon at " + url + " did not answer in time");
        } catch (IOException e) {
            throw new Failure(3, "cannot talk to the Tandem daemon at " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(3, "interrupted");
        }
        if (response.statusCode() >= 400) {
            String detail = response.body();
            try {
                JsonNode error = json.readTree(detail);
                detail = error.path("detail").asText(detail);
            } catch (IOException e) {
                // not JSON: print as it came
            }
            throw new Failure(1, detail + " (HTTP " + response.statusCode() + ")");
        }
        return response.body();
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String strip(String u) {
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    private static SSLContext trusting(Path certificate) throws Failure {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("tandem-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException | GeneralSecurityException e) {
            throw new Failure(3, "cannot use the admin certificate " + certificate + ": " + e.getMessage());
        }
    }
}
