package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tandem.server.CapturedLog;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Address items of initiators.allow as IET reads them: getaddrinfo(AI_NUMERICHOST), which on glibc takes inet_aton's
 * forms (a leading 0 is octal, 0x hex, fewer than four parts fill the last bytes), and never a host name.
 */
class AccessAddressFormsTest {
    private static final String TARGET = "iqn.2026-11.org.example:disk";

    @TempDir
    Path dir;

    private AccessRules rules(String item) throws Exception {
        Path f = dir.resolve("initiators.allow");
        Files.writeString(f, TARGET + " " + item + "\n");
        return AccessRules.read(f);
    }

    @ParameterizedTest(name = "{0} is {1}, not {2}")
    @CsvSource({
            "1.2.3.010, 1.2.3.8, 1.2.3.10",
            "010.0.0.1, 8.0.0.1, 10.0.0.1",
            "192.168.001.010, 192.168.1.8, 192.168.1.10",
            "10.1, 10.0.0.1, 10.1.0.0",
            "0x0a.0.0.1, 10.0.0.1, 0.0.0.0",
            "10.0.1, 10.0.0.1, 10.1.0.0",
    })
    void ipv4FormsAreReadAsIetReadThem(String item, String meant, String notMeant) throws Exception {
        AccessRules r = rules(item);
        assertThat(r.allows(TARGET, InetAddress.getByName(meant), "iqn.2026-11.org.example:host"))
                .as("%s allows %s", item, meant).isTrue();
        assertThat(r.allows(TARGET, InetAddress.getByName(notMeant), "iqn.2026-11.org.example:host"))
                .as("%s allows %s", item, notMeant).isFalse();
    }

    @Test
    void aBracketedHostNameIsNeverLookedUp() {
        // IET: getaddrinfo(AI_NUMERICHOST) fails on a name; Tandem resolved it and let 127.0.0.1 in
        assertThatThrownBy(() -> rules("[localhost]")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> rules("[]")).isInstanceOf(ConfigException.class);
    }

    @Test
    void aPrefixThatIsNotPlainDecimalIsRefusedNotTakenForAName() {
        // IET's strtoul(prefix, 0) reads /033 as 27 and /+8 as 8; Tandem took both items for name patterns
        assertThatThrownBy(() -> rules("10.0.0.0/033")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> rules("10.0.0.0/+8")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> rules("[fd00::]/-1")).isInstanceOf(ConfigException.class);
    }

    @Test
    void anItemWithSpacesMatchesNothingAndSaysSo() throws Exception {
        // IET split the list on commas only: "10.0.0.1 10.0.0.2" and "10.0.0.1 # c" are one item each, which is no
        // address and, as a name pattern, can match no iSCSI name (names hold no spaces): nobody is allowed by it
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            AccessRules r = rules("10.0.0.1 10.0.0.2");
            assertThat(r.allows(TARGET, InetAddress.getByName("10.0.0.1"), "iqn.2026-11.org.example:host")).isFalse();
            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("'10.0.0.1 10.0.0.2'")
                    && l.contains("matches nothing"));
        }
    }
}
