package org.tandem.server.admin;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.tandem.server.config.ConfigException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The admin endpoint's TLS: a certificate and key from PEM files, or a self-signed pair made with Bouncy Castle at
 * first start (EC P-256, ten years, names localhost, 127.0.0.1, ::1, this host and the listen address) and kept,
 * so clients can pin it. The key file is written with mode 0600.
 */
public final class TlsSetup {
    private static final Logger LOG = LogManager.getLogger(TlsSetup.class);

    private TlsSetup() {
    }

    /** The server context for the settings, or null when TLS is off. */
    public static SslContext serverContext(AdminSettings settings) throws ConfigException {
        if (settings.tls() == AdminSettings.Tls.OFF) {
            return null;
        }
        if (settings.tls() == AdminSettings.Tls.SELF_SIGNED
                && !(Files.exists(settings.certificate()) && Files.exists(settings.key()))) {
            selfSign(settings);
        }
        try {
            return SslContextBuilder.forServer(settings.certificate().toFile(), settings.key().toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("cannot use TLS certificate " + settings.certificate() + " and key "
                    + settings.key() + ": " + e.getMessage(), e);
        }
    }

    private static void selfSign(AdminSettings settings) throws ConfigException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            String host = InetAddress.getLocalHost().getHostName();
            X500Name subject = new X500Name("CN=" + host + ",O=Tandem admin endpoint");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), subject, pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names(host, settings).toArray(GeneralName[]::new)));
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            X509CertificateHolder certificate = builder.build(signer);
            writePem(settings.key(), new JcaPKCS8Generator(pair.getPrivate(), null), "rw-------");
            writePem(settings.certificate(), certificate, "rw-r--r--");
            LOG.info("admin endpoint: made a self-signed TLS certificate for {} in {}", host,
                    settings.certificate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new ConfigException("cannot make a self-signed TLS certificate: " + e, e);
        }
    }

    private static List<GeneralName> names(String host, AdminSettings settings) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.dNSName, "localhost"));
        names.add(new GeneralName(GeneralName.dNSName, host));
        names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        names.add(new GeneralName(GeneralName.iPAddress, "::1"));
        if (settings.listen() != null && settings.listen().getAddress() != null
                && !settings.listen().getAddress().isAnyLocalAddress()
                && !settings.listen().getAddress().isLoopbackAddress()) {
            names.add(new GeneralName(GeneralName.iPAddress, settings.listen().getAddress().getHostAddress()));
        }
        return names;
    }

    private static void writePem(Path file, Object object, String mode) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
            pem.writeObject(object);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write(text.toString());
        }
    }
}
