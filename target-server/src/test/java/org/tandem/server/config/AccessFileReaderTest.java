package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.CapturedLog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The lines of an access file as IET's match() reads them: comments and blank lines skipped, a target's first line
 * only, nothing after the ALL line, and not a last line without its newline.
 */
class AccessFileReaderTest {
    @TempDir
    Path dir;

    private List<AccessLine> read(String text) throws Exception {
        Path f = dir.resolve("initiators.allow");
        Files.writeString(f, text);
        return AccessFileReader.read(f);
    }

    @Test
    void keepsLineNumbersAndItemsAsWritten() throws Exception {
        List<AccessLine> lines = read("# allow\n\niqn.x:a 10.0.0.0/8 ,  iqn.y.*\nALL ALL\n");

        assertThat(lines).extracting(AccessLine::number, AccessLine::target, AccessLine::texts)
                .containsExactly(tuple(3, "iqn.x:a", List.of("10.0.0.0/8", "iqn.y.*")),
                        tuple(4, "ALL", List.of("ALL")));
        assertThat(lines.get(0).items()).hasSize(2);
    }

    @Test
    void onlyTheFirstLineOfATargetAndNothingAfterAllIsRead() throws Exception {
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            List<AccessLine> lines = read("iqn.x:a 10.0.0.1\nIQN.X:A 10.0.0.2\nALL ALL\niqn.x:b 10.0.0.3\n");

            assertThat(lines).extracting(AccessLine::number).containsExactly(1, 3);
            assertThat(log.warnings()).hasSize(2);
            assertThat(log.warnings().get(0)).contains(":2: never read: line 1 already names IQN.X:A");
            assertThat(log.warnings().get(1)).contains(":4: never read: reading stops at the ALL line (line 3)");
        }
    }

    @Test
    void aLastLineWithoutNewlineIsNotRead() throws Exception {
        assertThat(read("iqn.x:a 10.0.0.1\niqn.x:b 10.0.0.2")).extracting(AccessLine::target)
                .containsExactly("iqn.x:a");
    }

    @Test
    void aLineWithoutItemsStopsTheRead() {
        assertThatThrownBy(() -> read("iqn.x:a\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("initiators.allow:1")
                .hasMessageContaining("expected 'TARGET|ALL LIST', got 'iqn.x:a'");
    }
}
