package org.tandem.server.control;

import org.junit.jupiter.api.Test;
import org.tandem.lun.spi.StoreType;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.LunConfig;
import org.tandem.server.config.TargetConfig;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An admin change becomes ietd.conf text, parsed as the file is; what cannot be written there is refused. */
class StanzasTest {
    private static final String A = "iqn.2026-11.org.tandem.test:a";
    private final Stanzas stanzas = new Stanzas(Path.of("/etc/iet/ietd.conf"));

    private static LunRequest request(String path, String type, Long blocks) {
        return new LunRequest(null, path, type, null, null, blocks, null, null, null);
    }

    @Test
    void aLunRequestBecomesALunLineOfIetNames() throws Exception {
        LunConfig lun = stanzas.lun(A, 3, request(null, "nullio", 100L));
        assertThat(lun.number()).isEqualTo(3);
        assertThat(lun.store().type()).isEqualTo(StoreType.NULLIO);
        assertThat(lun.store().blocks()).isEqualTo(100);
    }

    @Test
    void aLunNeedsAPathOrAType() {
        assertThatThrownBy(() -> stanzas.lun(A, 0, request(null, null, null))).isInstanceOf(ControlException.class)
                .hasMessage("a LUN needs a path (or type nullio)");
    }

    @Test
    void anOptionWithACommaOrSpaceCannotBeWrittenOnALunLine() {
        assertThatThrownBy(() -> stanzas.lun(A, 0, request("/srv/a b.img", "fileio", null)))
                .hasMessage("'Path=/srv/a b.img' cannot be written in ietd.conf (no commas or spaces in Lun options)");
    }

    @Test
    void theParsersRefusalLosesTheLocationOfTextTheCallerNeverSaw() {
        assertThatThrownBy(() -> stanzas.lun(A, 0, request(null, "floppy", null)))
                .isInstanceOf(ControlException.class)
                .hasMessageStartingWith("expected Type=fileio, blockio or nullio, got 'floppy'")
                .extracting(e -> ((ControlException) e).kind()).isEqualTo(ControlException.Kind.INVALID);
    }

    @Test
    void aStanzaParsesAsTheFileWould() throws Exception {
        TargetConfig t = stanzas.parse("Target " + A + "\nIncomingUser joe secretsecret12\n");
        assertThat(t.name()).isEqualTo(A);
        assertThat(t.incoming()).containsExactly(new ChapAccount("joe", "secretsecret12"));
    }

    @Test
    void aValueMustFitOnOneLineWithoutBackslashes() throws Exception {
        assertThat(Stanzas.oneLine("  tandem ", "Alias")).isEqualTo("tandem");
        for (String bad : new String[] {null, " ", "a\nb", "a\rb", "a\\b"}) {
            assertThatThrownBy(() -> Stanzas.oneLine(bad, "Alias"))
                    .hasMessage("Alias must be one line of text without backslashes");
        }
    }
}
