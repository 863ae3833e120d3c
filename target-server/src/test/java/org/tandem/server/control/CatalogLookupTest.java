package org.tandem.server.control;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an admin request names is found in the running catalog, or refused as NOT_FOUND saying what is missing. */
class CatalogLookupTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private CatalogLookup lookup;

    @BeforeEach
    void start() throws Exception {
        Path conf = Files.writeString(dir.resolve("ietd.conf"), "Target " + A + "\n Lun 0 Type=nullio\n");
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        lookup = new CatalogLookup(catalog);
    }

    @AfterEach
    void stop() {
        catalog.close();
    }

    @Test
    void findsTargetsAndTheirLuns() throws Exception {
        assertThat(lookup.target(A)).isSameAs(catalog.target(A));
        assertThat(lookup.lun(A, 0)).isSameAs(catalog.target(A).lun(0));
    }

    @Test
    void whatIsMissingIsNamed() {
        assertThatThrownBy(() -> lookup.target(A + "x")).isInstanceOf(ControlException.class)
                .hasMessage("no target " + A + "x")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> lookup.lun(A, 1)).hasMessage("target " + A + " has no LUN 1")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.NOT_FOUND);
        assertThatThrownBy(() -> lookup.session(7)).hasMessage("no session with TSIH 7")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.NOT_FOUND);
    }
}
