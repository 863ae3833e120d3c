package org.tandem.ha.fencing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.ha.config.Fencing;
import org.tandem.ha.exec.CommandRunner;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FencerTest {
    @TempDir
    Path dir;

    private Path script(String body) throws Exception {
        Path s = dir.resolve("fence-" + Math.abs(body.hashCode()));
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    @Test
    void runsTheCommandWithThePeersNameAndTrustsOnlyExitZero() throws Exception {
        Path log = dir.resolve("fenced");
        Path ok = script("echo \"$@\" >> " + log + "; echo outlet 4 off");
        Fencer fencer = new Fencer(new Fencing(List.of(ok.toString(), "--pdu", "pdu1")), new CommandRunner(),
                Duration.ofSeconds(5));
        Fencer.Outcome o = fencer.fence("storage2");
        assertThat(o.fenced()).isTrue();
        assertThat(Files.readString(log)).isEqualTo("--pdu pdu1 storage2\n");
        assertThat(o.detail()).contains("exit 0", "outlet 4 off");

        Path refused = script("echo 'PDU unreachable' >&2; exit 1");
        assertThat(new Fencer(new Fencing(List.of(refused.toString())), new CommandRunner(), Duration.ofSeconds(5))
                .fence("storage2").detail()).contains("exit 1", "PDU unreachable");
        Path hangs = script("sleep 30");
        Fencer.Outcome late = new Fencer(new Fencing(List.of(hangs.toString())), new CommandRunner(),
                Duration.ofMillis(300)).fence("storage2");
        assertThat(late.fenced()).isFalse();
        assertThat(late.detail()).contains("timed out");
        assertThat(new Fencer(new Fencing(List.of(dir.resolve("missing").toString())), new CommandRunner(),
                Duration.ofSeconds(1)).fence("storage2").fenced()).isFalse();
    }

    @Test
    void fencingNoneAssumesTheWorstWasAvoided() {
        assertThat(new Fencer(Fencing.none(), new CommandRunner(), Duration.ofSeconds(1)).fence("storage2").fenced())
                .isTrue();
    }
}
