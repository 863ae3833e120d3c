package org.tandem.ha.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** authkeys as Heartbeat's parse_authfile reads it, trailing comments included; every refusal names line and fix. */
class AuthKeysTest {
    private static final Path FILE = Path.of("/etc/ha.d/authkeys");
    private static final String SECRET = "0123456789abcdef0123";

    private static AuthKeys keys(String... lines) throws HaConfigException {
        return AuthKeys.parse(FILE, List.of(lines));
    }

    @Test
    void trailingCommentsAreCommentsAsInHeartbeat() throws Exception {
        AuthKeys k = keys("  # leading white space, then a comment", "auth 1 # the key in use",
                "1 sha1 " + SECRET + " # rolled in 2026", "2 sha256 " + SECRET + "\t#tab, then comment");
        assertThat(k.active().index()).isEqualTo(1);
        assertThat(k.active().secret()).isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(k.key(2).algorithm()).isEqualTo("HmacSHA256");
    }

    @Test
    void aHashInsideTheSecretIsPartOfItAsInHeartbeat() throws Exception {
        assertThat(keys("auth 1", "1 sha256 " + SECRET + "#x").active().secret())
                .isEqualTo((SECRET + "#x").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void heartbeatsOwnIndexRangeAndGluedAuthWork() throws Exception {
        assertThat(keys("auth0", "0 sha1 " + SECRET).active().index()).isZero();
        assertThat(keys("auth 15", "15 SHA256 " + SECRET).active().algorithm()).isEqualTo("HmacSHA256");
    }

    @Test
    void wordsHeartbeatWouldSilentlyDropAreRefused() {
        assertThatThrownBy(() -> keys("auth 1 2", "1 sha1 " + SECRET)).hasMessage(FILE + ":1: expected 'auth N'"
                + " (N: the index of the key that signs heartbeats); Heartbeat would ignore [2]: remove it, or start"
                + " a comment with '#'");
        assertThatThrownBy(() -> keys("auth 1", "1 sha256 my secret is long enough")).hasMessage(FILE + ":2: key 1"
                + " has more than one word after sha256: a secret is one word (Heartbeat would have used only 'my');"
                + " write '1 sha256 SECRET' with the secret in one word, and start any comment with '#'");
    }

    @Test
    void everyRefusalNamesTheLineAndTheFix() {
        assertThatThrownBy(() -> keys("auth", "1 sha1 " + SECRET)).hasMessage(FILE + ":1: expected 'auth N' (N: the"
                + " index of the key that signs heartbeats)");
        assertThatThrownBy(() -> keys("auth 1", "1 sha256 # the secret went missing")).hasMessage(FILE + ":2: key 1"
                + " needs one secret of at least 16 characters (e.g. from: openssl rand -hex 32; a word starting"
                + " with '#' is a comment)");
        assertThatThrownBy(() -> keys("auth 1", "1")).hasMessage(FILE + ":2: expected 'N sha1|sha256 SECRET', got"
                + " only the index 1");
        assertThatThrownBy(() -> keys("auth 1", "1 md5 " + SECRET)).hasMessage(FILE + ":2: md5 is not accepted: MD5"
                + " is broken; write '1 sha256 SECRET'");
        assertThatThrownBy(() -> keys("auth 1", "1 blake " + SECRET)).hasMessage(FILE + ":2: expected sha1 or"
                + " sha256, got 'blake': write '1 sha256 SECRET'");
        assertThatThrownBy(() -> keys("auth 256", "1 sha1 " + SECRET)).hasMessage(FILE + ":1: expected a key index"
                + " from 0 to 255, got '256': write 'auth N' or 'N sha256 SECRET'");
        assertThatThrownBy(() -> keys("auth 1", "auth 2", "1 sha1 " + SECRET)).hasMessage(FILE + ":2: a second auth"
                + " line (the first is line 1): keep one");
        assertThatThrownBy(() -> keys("auth 1", "1 sha1 " + SECRET, "1 sha256 " + SECRET)).hasMessage(FILE + ":3:"
                + " key 1 is defined twice: keep one line for it");
        assertThatThrownBy(() -> keys("1 sha1 " + SECRET)).hasMessage(FILE + ": no 'auth N' line saying which key"
                + " signs heartbeats: add one, e.g. 'auth 1'");
        assertThatThrownBy(() -> keys("auth 2 # the new key", "1 sha1 " + SECRET)).hasMessage(FILE + ":1: auth 2"
                + " names a key that is not defined: add a line '2 sha256 SECRET' or name a key defined here [1]");
    }
}
