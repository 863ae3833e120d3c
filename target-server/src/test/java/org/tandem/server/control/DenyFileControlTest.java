package org.tandem.server.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.CapturedLog;
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
 * A running daemon with IET's deprecated initiators.deny: the warning comes once at start and once per reload that
 * changes the file, never per login; the admin endpoint's initiators.allow edits keep what initiators.deny closes
 * closed.
 */
class DenyFileControlTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private static final String B = "iqn.2026-11.org.tandem.test:b";
    private static final String DEPRECATED = "initiators.deny is deprecated";

    @TempDir
    Path dir;
    private Path conf;
    private TargetCatalog catalog;
    private CapturedLog log;

    @BeforeEach
    void files() throws Exception {
        conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + A + "\n Lun 0 Type=nullio\nTarget " + B + "\n Lun 0 Type=nullio\n");
        log = new CapturedLog(TargetControl.class);
    }

    @AfterEach
    void stop() {
        log.close();
        if (catalog != null) {
            catalog.close();
        }
    }

    private TargetControl start() throws Exception {
        TandemConfig config = IetdConfParser.read(conf);
        catalog = TargetCatalog.open(config, Runnable::run);
        return new TargetControl(catalog, ConfigFile.of(config));
    }

    @Test
    void theDeprecationIsLoggedOnceAtStartAndOnceForEachReloadThatChangesTheFile() throws Exception {
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        Files.writeString(dir.resolve("initiators.allow"), A + " iqn\\.2026-11\\.org\\.tandem\\.test:ok\n");
        TargetControl control = start();
        assertThat(log.containing(DEPRECATED)).hasSize(1).allMatch(l -> l.startsWith("WARN "));
        assertThat(catalog.initiatorAccess().allows(A, InetAddress.getLoopbackAddress(), "iqn.2026-11.org.x:no"))
                .isFalse();

        control.reload();
        Files.writeString(dir.resolve("initiators.deny"), "# unchanged rules, new comment\nALL ALL\n");
        control.reload();
        assertThat(log.containing(DEPRECATED)).as("reloads that leave the rules as they were").hasSize(1);

        Files.writeString(dir.resolve("initiators.deny"), A + " ALL\n");
        control.reload();
        assertThat(log.containing(DEPRECATED)).hasSize(2);
        assertThat(catalog.initiatorAccess().allows(B, InetAddress.getLoopbackAddress(), "iqn.2026-11.org.x:no"))
                .isTrue();

        Files.delete(dir.resolve("initiators.deny"));
        control.reload();
        assertThat(log.containing(DEPRECATED)).hasSize(2);
        assertThat(log.containing("initiators.deny is gone: initiators.allow alone decides who logs in")).hasSize(1);
        assertThat(catalog.initiatorAccess().denyInForce()).isFalse();
    }

    @Test
    void withoutADenyFileNothingIsSaid() throws Exception {
        TargetControl control = start();
        control.reload();
        assertThat(log.lines()).noneMatch(l -> l.contains("initiators.deny"));
    }

    @Test
    void aBadDenyLineRefusesTheReloadWithFileAndLine() throws Exception {
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        TargetControl control = start();
        Files.writeString(dir.resolve("initiators.deny"), "# " + A + " had a list here\n" + A + "\nALL ALL\n");
        assertThatThrownBy(control::reload).isInstanceOf(ControlException.class).hasMessageContaining(
                dir.resolve("initiators.deny") + ":2: expected 'TARGET|ALL LIST', got '" + A + "'");
        assertThat(catalog.initiatorAccess().denyRulesFor(A)).containsExactly("ALL");
        assertThat(log.containing(DEPRECATED)).hasSize(1);
    }

    @Test
    void editingInitiatorsAllowKeepsTheOtherTargetsClosedByInitiatorsDeny() throws Exception {
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        TargetControl control = start();
        InetAddress from = InetAddress.getLoopbackAddress();
        assertThat(catalog.initiatorAccess().allows(B, from, "iqn.2026-11.org.x:ok")).isFalse();

        control.access(A, List.of(), null, List.of("iqn\\.2026-11\\.org\\.x:ok"));

        assertThat(catalog.initiatorAccess().allows(A, from, "iqn.2026-11.org.x:ok")).isTrue();
        assertThat(catalog.initiatorAccess().allows(A, from, "iqn.2026-11.org.x:no")).isFalse();
        // Without initiators.deny, B would get an 'ALL' line to stay open as it was; here it stays closed.
        assertThat(catalog.initiatorAccess().allows(B, from, "iqn.2026-11.org.x:ok")).isFalse();
        control.save(false);
        assertThat(Files.readString(dir.resolve("initiators.allow"))).isEqualTo(A + " iqn\\.2026-11\\.org\\.x:ok\n");
        assertThat(Files.readString(dir.resolve("initiators.deny"))).isEqualTo("ALL ALL\n");
        assertThat(log.lines()).noneMatch(l -> l.contains("initiators.allow now lists"));
    }

    @Test
    void editingInitiatorsAllowWarnsWhenInitiatorsDenyLeavesTheTargetOpen() throws Exception {
        Files.writeString(dir.resolve("initiators.deny"), B + " ALL\n");
        TargetControl control = start();
        control.access(A, List.of(), null, List.of("10.0.0.1"));
        assertThat(log.containing("initiators.allow now lists")).containsExactly("WARN admin: target " + A
                + ": initiators.allow now lists [10.0.0.1], but initiators.deny is in force: initiators.deny has no"
                + " rule for this target, so every initiator gets in, whatever initiators.allow says");
        assertThat(catalog.initiatorAccess().allows(A, InetAddress.getByName("10.0.0.2"), "iqn.x")).isTrue();
    }
}
