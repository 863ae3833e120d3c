package org.tandem.server.connection;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.server.connection.NexusBench.clearUnitAttentions;
import static org.tandem.server.connection.NexusBench.command;

/**
 * Session reinstatement (RFC 7143 section 6.3.5): a login with the ISID of a live session to the same target
 * replaces that session, and the old one's connections close afterwards, each on its own event loop. The new
 * session is the same I_T nexus (same initiator port, same target port). When the old session's last connection
 * finally goes, its I_T nexus loss must not take away what the new session has done meanwhile, such as its SPC-2
 * reservation (SPC-2 section 5.5.1): another initiator would then write to a unit the new session holds reserved.
 */
class ReinstatedSessionNexusTest {
    private static final String HOST = "iqn.2026-11.org.tandem.test:host";
    private static final String OTHER_HOST = "iqn.2026-11.org.tandem.test:other";
    private static final long ISID = 0x23d000000042L;
    private static final String RESERVATION_CONFLICT = "18";

    @TempDir
    Path dir;
    private NexusBench bench;

    @BeforeEach
    void start() throws Exception {
        bench = new NexusBench(dir);
    }

    @AfterEach
    void stop() {
        bench.close();
    }

    private static String reserve6(EmbeddedChannel ch) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x16;
        return command(ch, 0x11, cdb, 0);
    }

    private static String read10(EmbeddedChannel ch) {
        byte[] cdb = new byte[16];
        cdb[0] = 0x28;
        cdb[8] = 1;
        return command(ch, 0x12, cdb, 512);
    }

    @Test
    void theOldSessionsLateEndDoesNotReleaseTheNewSessionsReservation() {
        EmbeddedChannel old = bench.login(HOST, ISID);
        EmbeddedChannel reinstating = bench.login(HOST, ISID); // reinstates the old session, whose close is on its way
        EmbeddedChannel other = bench.login(OTHER_HOST, ISID);
        clearUnitAttentions(reinstating);
        clearUnitAttentions(other);
        assertThat(reserve6(reinstating)).isEqualTo("GOOD");
        assertThat(read10(other)).as("the unit is reserved by the reinstating session").isEqualTo(
                RESERVATION_CONFLICT);

        old.close(); // the old session's close arrives: its last connection ends, an I_T nexus loss

        assertThat(read10(other)).as("the new session's reservation outlives the old session's end")
                .isEqualTo(RESERVATION_CONFLICT);
    }
}
