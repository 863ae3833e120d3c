package org.tandem.server.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.session.TargetCatalog;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A target's CHAP accounts (IncomingUser, and OutgoingUser for mutual CHAP, RFC 7143 section 12.1.3) and its
 * initiators.allow rules, replaced at run time for the logins that follow.
 */
class AccessControlTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private static final String B = "iqn.2026-11.org.tandem.test:b";
    private static final ChapAccount JOE = new ChapAccount("joe", "secretsecret12");
    private static final ChapAccount TARGET = new ChapAccount("target", "othersecret12");

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private AccessControl access;

    @BeforeEach
    void start() throws Exception {
        Path conf = Files.writeString(dir.resolve("ietd.conf"), "Target " + A + "\n Lun 0 Type=nullio\nTarget " + B
                + "\n Lun 0 Type=nullio\n");
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        access = new AccessControl(catalog, ConfigFile.of(config), new CatalogLookup(catalog), new Stanzas(conf));
    }

    @AfterEach
    void stop() {
        catalog.close();
    }

    @Test
    void theChapAccountsAreReplaced() throws Exception {
        access.access(A, List.of(JOE), TARGET, null);
        assertThat(catalog.target(A).config().incoming()).containsExactly(JOE);
        assertThat(catalog.target(A).config().outgoing()).isEqualTo(TARGET);

        access.access(A, List.of(), null, null);
        assertThat(catalog.target(A).config().incoming()).isEmpty();
        assertThat(catalog.target(A).config().outgoing()).isNull();
    }

    @Test
    void mutualChapNeedsAnIncomingUser() {
        assertThatThrownBy(() -> access.access(A, List.of(), TARGET, null))
                .hasMessage("an OutgoingUser (mutual CHAP) needs at least one IncomingUser")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.INVALID);
        assertThat(catalog.target(A).config().outgoing()).isNull();
    }

    @Test
    void aSecretThatCannotBeWrittenInIetdConfIsRefused() {
        assertThatThrownBy(() -> access.access(A, List.of(new ChapAccount("joe", "secret\nsecret12")), null, null))
                .hasMessage("secret must be one line of text without backslashes");
    }

    @Test
    void initiatorsAllowRulesApplyToThisTargetAndLeaveTheOthersOpen() throws Exception {
        InetAddress from = InetAddress.getLoopbackAddress();
        access.access(A, List.of(), null, List.of("iqn\\.2026-11\\.org\\.x:ok"));
        assertThat(catalog.initiatorAccess().allows(A, from, "iqn.2026-11.org.x:ok")).isTrue();
        assertThat(catalog.initiatorAccess().allows(A, from, "iqn.2026-11.org.x:no")).isFalse();
        assertThat(catalog.initiatorAccess().allows(B, from, "iqn.2026-11.org.x:no")).isTrue();
    }
}
