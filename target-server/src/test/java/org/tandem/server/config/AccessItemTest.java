package org.tandem.server.config;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The three kinds of item of an access-file line and what each matches (IET's __match()). */
class AccessItemTest {
    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void allMatchesEveryInitiatorEvenWithoutAddressOrName() {
        assertThat(new AccessItem.Everyone().matches(null, null)).isTrue();
    }

    @Test
    void aRangeComparesThePrefixBitsOnly() throws Exception {
        AccessItem.AddressRange r = new AccessItem.AddressRange(ip("10.1.2.128").getAddress(), 25);

        assertThat(r.matches(ip("10.1.2.200"), null)).isTrue();
        assertThat(r.matches(ip("10.1.2.127"), null)).isFalse();
        assertThat(r.matches(null, "iqn.x")).as("no address").isFalse();
    }

    @Test
    void aRangeMatchesOnlyItsOwnAddressFamily() throws Exception {
        AccessItem.AddressRange all4 = new AccessItem.AddressRange(ip("0.0.0.0").getAddress(), 0);
        AccessItem.AddressRange v6 = new AccessItem.AddressRange(ip("fd00::").getAddress(), 8);

        assertThat(all4.matches(ip("192.0.2.1"), null)).isTrue();
        assertThat(all4.matches(ip("::1"), null)).isFalse();
        assertThat(v6.matches(ip("fdff::5"), null)).isTrue();
        assertThat(v6.matches(ip("fe80::1"), null)).isFalse();
    }

    @Test
    void aNamePatternMustMatchTheWholeName() throws Exception {
        AccessItem.NamePattern p = new AccessItem.NamePattern(Pattern.compile("iqn\\.1993-08\\.org\\.debian:.*"));

        assertThat(p.matches(ip("10.0.0.1"), "iqn.1993-08.org.debian:01:abc")).isTrue();
        assertThat(p.matches(ip("10.0.0.1"), "x.iqn.1993-08.org.debian:01")).isFalse();
        assertThat(p.matches(ip("10.0.0.1"), null)).as("no name").isFalse();
    }
}
