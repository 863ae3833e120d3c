package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tandem.server.CapturedLog;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.PatternSyntaxException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Initiator-name patterns mean what they meant to IET's regcomp (POSIX basic, glibc), not what they would mean to
 * Java: the same names match, and a pattern IET read in a way its writer did not intend is warned about.
 */
class PosixBasicRegexTest {
    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource(delimiterString = " => ", value = {
            "iqn\\.1993-08\\.org\\.debian:01:.* => iqn.1993-08.org.debian:01:abc => true",
            "iqn\\.1993-08\\.org\\.debian:01:.* => iqn.1993-08.org.debian:02:abc => false",
            "iqn.2005-03.org.open-iscsi:[[:xdigit:]]* => iqn.2005-03.org.open-iscsi:8f3a => true",
            "iqn.2005-03.org.open-iscsi:[[:xdigit:]]* => iqn.2005-03.org.open-iscsi:zz => false",
            // Java would read [[:digit:]] as the set [ : d i g t
            "host[[:digit:]] => host7 => true",
            "host[[:digit:]] => hostd => false",
            // '+' is a plain character in a basic expression: IET matched only a literal plus
            "iqn.*:host.+ => iqn.x:hostab => false",
            "iqn.*:host.+ => iqn.x:hosta+ => true",
            "iqn.*:host.\\+ => iqn.x:hostab => true",
            // groups and alternation are backslashed
            "iqn.x:\\(web\\|db\\)[0-9] => iqn.x:db3 => true",
            "iqn.x:\\(web\\|db\\)[0-9] => iqn.x:mail3 => false",
            "iqn.x:(web|db) => iqn.x:db => false",
            "iqn.x:(web|db) => iqn.x:(web|db) => true",
            "iqn.x:a\\{2\\} => iqn.x:aa => true",
            "iqn.x:a{2} => iqn.x:a{2} => true",
            // a backslash inside brackets is a plain character; '*' at the start is too
            "[\\]x => \\x => true",
            "*x => *x => true",
            "^iqn.*$ => iqn.abc => true",
    })
    void matchesWhatIetMatched(String pattern, String name, boolean matches) {
        assertThat(PosixBasicRegex.translate(pattern).pattern().matcher(name).matches()).isEqualTo(matches);
    }

    @Test
    void patternsRegcompRefusesAreRefused() {
        for (String bad : new String[] {"iqn\\(x", "iqn\\)x", "host[0-9", "host[[:nosuch:]]", "x\\"}) {
            assertThatThrownBy(() -> PosixBasicRegex.translate(bad)).as(bad).isInstanceOf(PatternSyntaxException.class);
        }
    }

    @Test
    void whatIetReadOtherwiseThanMeantIsWarnedWithFileAndLine(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path allow = dir.resolve("initiators.allow");
        Files.writeString(allow, "iqn.x:t ^iqn\\.2026-11\\..*$, iqn.*:web.+\n");
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            AccessRules rules = AccessRules.read(allow);
            assertThat(rules.allows("iqn.x:t", InetAddress.getByName("10.0.0.1"), "iqn.2026-11.org.a:b")).isTrue();
            assertThat(log.warnings()).containsExactly(
                    allow + ":1: in the initiator-name pattern '^iqn\\.2026-11\\..*$': '^' is implicit (patterns match"
                            + " the whole name); IET read this one as a literal '^', so the item never matched there",
                    allow + ":1: in the initiator-name pattern '^iqn\\.2026-11\\..*$': '$' is implicit (patterns match"
                            + " the whole name); IET read this one as a literal '$', so the item never matched there",
                    allow + ":1: in the initiator-name pattern 'iqn.*:web.+': '+' is a plain character in IET's"
                            + " (POSIX basic) patterns; write '\\+' for one or more");
        }
        Files.writeString(allow, "iqn.x:t host[0-9\n");
        assertThatThrownBy(() -> AccessRules.read(allow)).hasMessageStartingWith(allow + ":1: bad initiator-name"
                + " pattern 'host[0-9'").hasMessageEndingWith("(write a POSIX basic regular expression, as IET did,"
                + " such as iqn\\.1993-08\\.org\\.debian:.*)");
    }

    /** IET gave every item to getaddrinfo, brackets or not: a bare IPv6 address or range is an address. */
    @Test
    void bareIpv6AddressesAndRangesAreAddresses(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path allow = dir.resolve("initiators.allow");
        Files.writeString(allow, "iqn.x:t fd00:1::7, fd00:2::/64\n");
        AccessRules rules = AccessRules.read(allow);
        assertThat(rules.allows("iqn.x:t", InetAddress.getByName("fd00:1::7"), "iqn.a:b")).isTrue();
        assertThat(rules.allows("iqn.x:t", InetAddress.getByName("fd00:2::99"), "iqn.a:b")).isTrue();
        assertThat(rules.allows("iqn.x:t", InetAddress.getByName("fd00:3::1"), "iqn.a:b")).isFalse();
    }
}
