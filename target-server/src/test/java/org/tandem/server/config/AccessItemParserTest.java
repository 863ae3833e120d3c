package org.tandem.server.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An item's text read as IET's __match() reads it: ALL, [IPv6] or IPv4 with an optional /PREFIX, else a name. */
class AccessItemParserTest {
    private static final Path FILE = Path.of("/etc/iet/initiators.allow");

    @Test
    void allIsEveryoneOnlyInCapitals() throws Exception {
        assertThat(AccessItemParser.parse(FILE, 1, "ALL")).isInstanceOf(AccessItem.Everyone.class);
        assertThat(AccessItemParser.parse(FILE, 1, "all")).isInstanceOf(AccessItem.NamePattern.class);
    }

    @Test
    void anAddressWithoutPrefixIsARangeOfOne() throws Exception {
        AccessItem item = AccessItemParser.parse(FILE, 1, "192.0.2.7");

        assertThat(item).isInstanceOfSatisfying(AccessItem.AddressRange.class, r -> {
            assertThat(r.network()).containsExactly(192, 0, 2, 7);
            assertThat(r.prefix()).isEqualTo(32);
        });
    }

    @Test
    void aBracketedIpv6RangeKeepsItsPrefix() throws Exception {
        AccessItem item = AccessItemParser.parse(FILE, 1, "[fd00::]/8");
        byte[] fd00 = InetAddress.getByName("fd00::").getAddress();

        assertThat(item).isInstanceOfSatisfying(AccessItem.AddressRange.class, r -> {
            assertThat(r.network()).isEqualTo(fd00);
            assertThat(r.prefix()).isEqualTo(8);
        });
    }

    @Test
    void anythingElseIsAnInitiatorNamePattern() throws Exception {
        AccessItem item = AccessItemParser.parse(FILE, 1, "iqn\\.1993-08\\.org\\.debian:.*");

        assertThat(item.matches(null, "iqn.1993-08.org.debian:01:abc")).isTrue();
    }

    @Test
    void errorsNameFileLineAndWhatToWrite() {
        assertThatThrownBy(() -> AccessItemParser.parse(FILE, 4, "[fd00::"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("initiators.allow:4")
                .hasMessageContaining("unclosed '[' in IPv6 address '[fd00::': write [ADDRESS] or [ADDRESS]/PREFIX");
        assertThatThrownBy(() -> AccessItemParser.parse(FILE, 5, "10.0.0.0/33"))
                .hasMessageContaining("prefix /33 too long for '10.0.0.0/33': at most /32 for IPv4, /128 for IPv6");
        assertThatThrownBy(() -> AccessItemParser.parse(FILE, 6, "300.1.1.1"))
                .hasMessageContaining("expected an address, CIDR range, name pattern or ALL, got '300.1.1.1'");
    }
}
