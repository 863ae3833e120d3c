package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.tandem.server.CapturedLog;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What IET read silently but could never match what the writer meant is said once, with file and line. */
class NeverMatchingRulesTest {
    private static final Path ALLOW = Path.of("/etc/iet/initiators.allow");
    private static final AccessItem NAME = new AccessItem.NamePattern(Pattern.compile("x"));

    private static List<String> warningsFor(Path file, String item) {
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            NeverMatchingRules.warnItem(file, 3, item, NAME);
            return log.warnings();
        }
    }

    @Test
    void aHostNameMatchesOnlyAnInitiatorSoNamed() {
        assertThat(warningsFor(ALLOW, "storage1")).singleElement().asString()
                .contains(ALLOW + ":3: 'storage1' looks like a host name, but IET never looked names up");
    }

    @Test
    void anIscsiNamePatternIsNoHostName() {
        assertThat(warningsFor(ALLOW, "iqn.1993-08.org.debian")).isEmpty();
    }

    @Test
    void aNameInTargetsAllowMatchesNoPortal() {
        assertThat(warningsFor(Path.of("/etc/iet/targets.allow"), "iqn.x")).singleElement().asString()
                .contains("'iqn.x' is not an address: targets.allow is matched against the portal's address only");
    }

    @Test
    void aLineForATargetIetdConfDoesNotDefineNeverApplies() {
        AccessLine line = new AccessLine(7, "iqn.x:typo", List.of(NAME), List.of("x"));
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            NeverMatchingRules.warnUndefinedTargets(ALLOW, List.of(line), List.of("iqn.x:db"));

            assertThat(log.warnings()).singleElement().asString().contains(ALLOW + ":7: target 'iqn.x:typo' is not"
                    + " defined in ietd.conf (it defines iqn.x:db), so this line never applies");
        }
    }
}
