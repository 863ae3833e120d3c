package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.server.CapturedLog;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines and items of the access files that IET read in a way that can never match (or never what the writer
 * meant): Tandem reads them the same way, keeping IET's matching, and warns once per read with file and line.
 */
class AccessLinesThatNeverMatchTest {
    private static final String VM1 = "iqn.2026-11.org.example:vm1";
    private static final String VM2 = "iqn.2026-11.org.example:vm2";

    @TempDir
    Path dir;

    /** Reads ietd.conf (targets vm1 and vm2) with this access file beside it; the warnings AccessRules gave. */
    private List<String> warnings(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text);
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            config();
            return log.warnings();
        }
    }

    private TandemConfig config() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        if (!Files.exists(conf)) {
            Files.writeString(conf, "Target " + VM1 + "\n    Lun 0 Type=nullio\nTarget " + VM2
                    + "\n    Lun 0 Type=nullio\n");
        }
        return IetdConfParser.read(conf);
    }

    private String where(String file, int line) {
        return dir.resolve(file) + ":" + line + ": ";
    }

    @Test
    void aMisspeltTargetIsNamedWithTheTargetsIetdConfDefines() throws Exception {
        assertThat(warnings("initiators.allow", VM1 + " 10.9.9.1\niqn.2026-11.org.example:vm3 10.9.9.3\n"))
                .containsExactly(where("initiators.allow", 2) + "target 'iqn.2026-11.org.example:vm3' is not"
                        + " defined in ietd.conf (it defines " + VM1 + ", " + VM2 + "), so this line never applies"
                        + " (IET skipped it too); correct the name or remove the line");
    }

    @Test
    void aTgtStyleLineIsSaidToRestrictNothing() throws Exception {
        assertThat(warnings("initiators.allow", "initiator-address 10.9.9.2\n"))
                .containsExactly(where("initiators.allow", 1) + "'initiator-address 10.9.9.2' is tgt's"
                        + " targets.conf syntax, not IET's: it is read as a line for a target called"
                        + " 'initiator-address', which ietd.conf does not define, so it restricts nothing; write"
                        + " 'TARGET 10.9.9.2' with a target of ietd.conf (or ALL)");
        // as in IET: a file whose only line names no target lets no one in (no line applies to vm1)
        assertThat(config().initiatorAccess().allows(VM1, InetAddress.getByName("10.9.9.2"), "iqn.x:a")).isFalse();
    }

    @Test
    void lowercaseAllIsATargetOrNameCalledAll() throws Exception {
        List<String> w = warnings("initiators.allow", VM1 + " all\nall ALL\n");
        assertThat(w).containsExactly(
                where("initiators.allow", 1) + "'all' is not ALL: IET compares with ALL exactly, so this item is"
                        + " read as a name pattern matching only an initiator named 'all'; write ALL",
                where("initiators.allow", 2) + "'all' is not ALL: IET compares with ALL exactly, so this line is"
                        + " read as one for a target called 'all', which ietd.conf does not define, and never"
                        + " applies; write ALL");
        InitiatorAccess access = config().initiatorAccess();
        assertThat(access.allows(VM1, InetAddress.getByName("10.9.9.2"), "iqn.x:a")).isFalse();
        assertThat(access.allows(VM1, InetAddress.getByName("10.9.9.2"), "all")).isTrue();
        assertThat(access.allows(VM2, InetAddress.getByName("10.9.9.2"), "iqn.x:a")).isFalse();
    }

    @Test
    void anItemWithSpacesIsOneItemThatMatchesNothing() throws Exception {
        assertThat(warnings("initiators.allow", VM1 + " 10.9.9.2 10.9.9.3, 10.9.9.4\n"))
                .containsExactly(where("initiators.allow", 1) + "'10.9.9.2 10.9.9.3' is one item that matches"
                        + " nothing: items are separated by commas, not spaces; write '10.9.9.2, 10.9.9.3'");
        InitiatorAccess access = config().initiatorAccess();
        assertThat(access.allows(VM1, InetAddress.getByName("10.9.9.2"), "iqn.x:a")).isFalse();
        assertThat(access.allows(VM1, InetAddress.getByName("10.9.9.4"), "iqn.x:a")).isTrue();
    }

    @Test
    void aHostNameIsNeverLookedUp() throws Exception {
        List<String> w = warnings("initiators.allow", VM1 + " localhost, server1.example.com,"
                + " iqn.2026-11.org.example.host1, iqn\\.2026-11\\..*\n");
        assertThat(w).containsExactly(
                where("initiators.allow", 1) + "'localhost' looks like a host name, but IET never looked names up:"
                        + " it matches only an initiator whose iSCSI name is literally 'localhost'; write the host's"
                        + " address (e.g. 10.0.0.5) or range (10.0.0.0/24)",
                where("initiators.allow", 1) + "'server1.example.com' looks like a host name, but IET never looked"
                        + " names up: it matches only an initiator whose iSCSI name is literally"
                        + " 'server1.example.com'; write the host's address (e.g. 10.0.0.5) or range (10.0.0.0/24)");
        assertThat(config().initiatorAccess().allows(VM1, InetAddress.getByName("127.0.0.1"), "iqn.x:a")).isFalse();
    }

    @Test
    void aNameInTargetsAllowMatchesNoPortal() throws Exception {
        assertThat(warnings("targets.allow", VM1 + " portal1\n")).containsExactly(where("targets.allow", 1)
                + "'portal1' is not an address: targets.allow is matched against the portal's address only (as in"
                + " IET), so it matches no portal; write the portal's address or range");
    }

    @Test
    void initiatorsDenyAndTargetsAllowAreCheckedForUndefinedTargetsToo() throws Exception {
        assertThat(warnings("initiators.deny", "iqn.2026-11.org.example:vm9 ALL\n")).singleElement().asString()
                .startsWith(where("initiators.deny", 1) + "target 'iqn.2026-11.org.example:vm9' is not defined");
        Files.delete(dir.resolve("initiators.deny"));
        assertThat(warnings("targets.allow", "iqn.2026-11.org.example:VM1 10.0.0.1\nvm2 10.0.0.1\n"))
                .singleElement().asString() // vm1 in another case is the same target
                .startsWith(where("targets.allow", 2) + "target 'vm2' is not defined");
    }

    @Test
    void aLastLineWithoutNewlineIsSkippedAsIetSkippedItAndSaidSo() throws Exception {
        assertThat(warnings("initiators.allow", VM1 + " 10.9.9.1\nALL ALL")).containsExactly(
                where("initiators.allow", 2) + "never read: the last line has no newline at its end, and IET skipped"
                        + " such a line (so does Tandem, to keep what IET did); end the file with a newline to apply"
                        + " it");
        // as in IET: no line applies to vm2, so the file lets no one in there
        assertThat(config().initiatorAccess().allows(VM2, InetAddress.getByName("10.9.9.2"), "iqn.x:a")).isFalse();
        assertThat(warnings("initiators.allow", VM1 + " 10.9.9.1\n# the end")).isEmpty();
        assertThat(warnings("initiators.allow", VM1 + " 10.9.9.1\r\n")).isEmpty();
    }

    @Test
    void theWarningsComeOncePerRead() throws Exception {
        Files.writeString(dir.resolve("initiators.allow"), "vm2 ALL\n");
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            config();
            assertThat(log.warnings()).hasSize(1);
            config(); // a reload reads the files again
            assertThat(log.warnings()).hasSize(2);
        }
    }

    @Test
    void wellFormedFilesGiveNoWarning() throws Exception {
        assertThat(warnings("initiators.allow", VM1 + " 10.9.9.1, 10.0.0.0/8, [fd00::1], iqn\\.2026-11\\..*\n"
                + "ALL ALL\n")).isEmpty();
    }
}
