package org.tandem.server.admin;

import org.tandem.server.config.ConfigException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where and how the admin endpoint listens, read from admin.conf (beside ietd.conf unless named), in ietd.conf's
 * style: one {@code Directive value} per line, '#' comments, directive names case-insensitive.
 *
 * <pre>
 * Listen          127.0.0.1:8260     # or "off"
 * TokenFile       admin.token        # created at first start, mode 0600
 * Tls             off                # off, self-signed (made at first start and kept) or pem
 * TlsCertificate  admin-cert.pem     # for pem; for self-signed, where the made one is kept
 * TlsKey          admin-key.pem
 * </pre>
 *
 * Relative paths are resolved against the file's directory. The daemon and tandemctl both read this file.
 */
public record AdminSettings(InetSocketAddress listen, Path tokenFile, Tls tls, Path certificate, Path key) {
    /** Directives of ietd.conf, to recognise that file when it is given where admin.conf belongs. */
    private static final Set<String> IETD_CONF_DIRECTIVES = Set.of("target", "lun", "incominguser", "outgoinguser",
            "alias", "maxconnections", "maxsessions", "headerdigest", "datadigest");

    public static final int DEFAULT_PORT = 8260;
    public static final String FILE_NAME = "admin.conf";

    /** How the endpoint speaks. */
    public enum Tls {
        OFF, SELF_SIGNED, PEM
    }

    /** The defaults for a directory: 127.0.0.1:8260, plain HTTP, token and certificate files in {@code dir}. */
    public static AdminSettings defaults(Path dir) {
        return new AdminSettings(new InetSocketAddress("127.0.0.1", DEFAULT_PORT), dir.resolve("admin.token"),
                Tls.OFF, dir.resolve("admin-cert.pem"), dir.resolve("admin-key.pem"));
    }

    public boolean enabled() {
        return listen != null;
    }

    /** The same settings listening elsewhere (tests bind port 0). */
    public AdminSettings listeningOn(InetSocketAddress address) {
        return new AdminSettings(address, tokenFile, tls, certificate, key);
    }

    /** The URL a client uses. */
    public String url() {
        String host = listen.getHostString();
        if (host.equals("0.0.0.0")) {
            host = "127.0.0.1";
        } else if (host.contains(":")) {
            host = host.equals("::") ? "[::1]" : "[" + host + "]";
        }
        return (tls == Tls.OFF ? "http" : "https") + "://" + host + ":" + listen.getPort();
    }

    /** Reads the file; a missing file gives the defaults for its directory. */
    public static AdminSettings read(Path file) throws ConfigException {
        Path dir = file.toAbsolutePath().getParent();
        AdminSettings s = defaults(dir);
        if (!Files.exists(file)) {
            return s;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        InetSocketAddress listen = s.listen;
        Path token = s.tokenFile;
        Tls tls = s.tls;
        Path cert = s.certificate;
        Path key = s.key;
        boolean certGiven = false;
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (IETD_CONF_DIRECTIVES.contains(words[0].toLowerCase(Locale.ROOT))) {
                // tandemd's --config names ietd.conf, tandemctl's names admin.conf: an easy mix-up.
                throw new ConfigException(file, n, "'" + words[0] + "' belongs in ietd.conf; this file is read as"
                        + " admin.conf (Listen, TokenFile, Tls...): give tandemctl --config the admin.conf beside it");
            }
            if (words.length != 2) {
                throw new ConfigException(file, n, "expected a directive and one value, got '" + line + "'");
            }
            String value = words[1];
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "listen" -> listen = value.equalsIgnoreCase("off") ? null : address(file, n, value);
                case "tokenfile" -> token = dir.resolve(value);
                case "tls" -> tls = switch (value.toLowerCase(Locale.ROOT)) {
                    case "off" -> Tls.OFF;
                    case "self-signed" -> Tls.SELF_SIGNED;
                    case "pem" -> Tls.PEM;
                    default -> throw new ConfigException(file, n, "expected Tls off, self-signed or pem, got '"
                            + value + "'");
                };
                case "tlscertificate" -> {
                    cert = dir.resolve(value);
                    certGiven = true;
                }
                case "tlskey" -> key = dir.resolve(value);
                default -> throw new ConfigException(file, n, "unknown directive '" + words[0]
                        + "' (expected Listen, TokenFile, Tls, TlsCertificate or TlsKey)");
            }
        }
        if (tls == Tls.PEM && (!certGiven || !Files.isReadable(cert) || !Files.isReadable(key))) {
            throw new ConfigException(file + ": Tls pem needs readable TlsCertificate and TlsKey files (have "
                    + cert + ", " + key + ")");
        }
        return new AdminSettings(listen, token, tls, cert, key);
    }

    private static InetSocketAddress address(Path file, int n, String value) throws ConfigException {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || value.endsWith("]")) {
            throw new ConfigException(file, n, "expected Listen HOST:PORT (or off), got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, port);
        } catch (NumberFormatException e) {
            throw new ConfigException(file, n, "bad port in Listen '" + value + "'");
        }
    }
}
