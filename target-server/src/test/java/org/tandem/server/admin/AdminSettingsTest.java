package org.tandem.server.admin;

import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.config.ConfigException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminSettingsTest {
    @TempDir
    Path dir;

    @Test
    void missingFileGivesLoopbackDefaults() throws Exception {
        AdminSettings s = AdminSettings.read(dir.resolve("admin.conf"));
        assertThat(s.url()).isEqualTo("http://127.0.0.1:8260");
        assertThat(s.tokenFile()).isEqualTo(dir.resolve("admin.token"));
    }

    @Test
    void readsDirectivesAndNamesTheBadLine() throws Exception {
        Path f = dir.resolve("admin.conf");
        Files.writeString(f, "# admin\nListen 0.0.0.0:9000  # all\nTokenFile keys/token\nTls self-signed\n");
        AdminSettings s = AdminSettings.read(f);
        assertThat(s.listen().getPort()).isEqualTo(9000);
        assertThat(s.url()).isEqualTo("https://127.0.0.1:9000");
        assertThat(s.tokenFile()).isEqualTo(dir.resolve("keys/token"));
        Files.writeString(f, "Listen 127.0.0.1:8260\nTls maybe\n");
        assertThatThrownBy(() -> AdminSettings.read(f)).isInstanceOf(ConfigException.class)
                .hasMessage(f + ":2: expected Tls off, self-signed or pem, got 'maybe'");
        Files.writeString(f, "Port 80\n");
        assertThatThrownBy(() -> AdminSettings.read(f)).hasMessageStartingWith(f + ":1: unknown directive 'Port'");
        Files.writeString(f, "Listen off\n");
        assertThat(AdminSettings.read(f).enabled()).isFalse();
    }

    @Test
    void anIetdConfGivenAsAdminConfIsRecognisedAsSuch() throws Exception {
        Path f = dir.resolve("ietd.conf");
        Files.writeString(f, "IncomingUser disco discosecret12\nTarget iqn.2026-11.org.tandem:t\n");
        assertThatThrownBy(() -> AdminSettings.read(f)).hasMessageContaining("ietd.conf:1:")
                .hasMessageContaining("'IncomingUser' belongs in ietd.conf");
    }

    @Test
    void aTokenFileOthersCanReadIsRefused() throws Exception {
        Path token = dir.resolve("admin.token");
        TokenFile made = TokenFile.loadOrCreate(token);
        assertThat(made.matches(TokenFile.read(token))).isTrue();
        assertThat(TokenFile.read(token)).hasSize(64);
        assertThat(TokenFile.loadOrCreate(token).matches(TokenFile.read(token))).isTrue();
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> TokenFile.loadOrCreate(token)).hasMessageContaining("readable by others");
    }

    @Test
    void selfSignedCertificateIsMadeOnceAndKept() throws Exception {
        Path f = dir.resolve("admin.conf");
        Files.writeString(f, "Tls self-signed\n");
        AdminSettings s = AdminSettings.read(f);
        SslContext first = TlsSetup.serverContext(s);
        assertThat(first.isServer()).isTrue();
        String cert = Files.readString(s.certificate());
        assertThat(cert).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(s.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.key()))).isEqualTo("rw-------");
        TlsSetup.serverContext(s);
        assertThat(Files.readString(s.certificate())).isEqualTo(cert);
    }
}
