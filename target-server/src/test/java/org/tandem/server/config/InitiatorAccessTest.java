package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandem.server.CapturedLog;
import org.tandem.server.config.InitiatorAccess.Verdict;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.server.config.InitiatorAccess.Verdict.ALLOWED;
import static org.tandem.server.config.InitiatorAccess.Verdict.DENIED;
import static org.tandem.server.config.InitiatorAccess.Verdict.NOT_ALLOWED;

/**
 * initiators.allow with initiators.deny, as IET's plain_initiator_allow() combines them (usr/plain.c, 1.4.18): the
 * whole truth table, then the lines that count, the log and view texts, and bad lines.
 */
class InitiatorAccessTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:disk";
    private static final String OTHER_TARGET = "iqn.2026-11.org.tandem.test:other";
    private static final String NAME = "iqn.2026-11.org.tandem.test:host1";

    @TempDir
    Path dir;

    /** What a file holds for one row of the table. */
    enum File { ABSENT, EMPTY, MATCHING, NOT_MATCHING }

    /** How a rule picks the initiator out: by address, IPv6 address or name, on the target's line or the ALL line. */
    enum Way {
        ADDRESS("10.1.0.0/16", "192.168.0.0/16", false),
        IPV6_ADDRESS("[fd00:1::]/32", "[fd00:2::5]", false),
        NAME("iqn\\.2026-11\\.org\\.tandem\\.test:host[0-9]", "iqn\\.2026-11\\.org\\.tandem\\.test:other", false),
        ADDRESS_ON_ALL_LINE("10.1.2.3", "10.1.2.4", true),
        NAME_ON_ALL_LINE("iqn\\.2026-11\\..*:host1", "iqn\\.2026-11\\..*:host2", true);

        final String matching;
        final String notMatching;
        final boolean allLine;

        Way(String matching, String notMatching, boolean allLine) {
            this.matching = matching;
            this.notMatching = notMatching;
            this.allLine = allLine;
        }

        InetAddress address() throws Exception {
            return InetAddress.getByName(this == IPV6_ADDRESS ? "fd00:1::7" : "10.1.2.3");
        }
    }

    /**
     * IET 1.4.18's answer for each (initiators.deny, initiators.allow): without deny, allow decides (no file:
     * everyone); with deny, refused only when deny matches and allow does not, so an empty deny file lets all in.
     */
    private static final Object[][] TABLE = {
            {File.ABSENT, File.ABSENT, ALLOWED},
            {File.ABSENT, File.EMPTY, NOT_ALLOWED},
            {File.ABSENT, File.MATCHING, ALLOWED},
            {File.ABSENT, File.NOT_MATCHING, NOT_ALLOWED},
            {File.EMPTY, File.ABSENT, ALLOWED},
            {File.EMPTY, File.EMPTY, ALLOWED},
            {File.EMPTY, File.MATCHING, ALLOWED},
            {File.EMPTY, File.NOT_MATCHING, ALLOWED},
            {File.MATCHING, File.ABSENT, DENIED},
            {File.MATCHING, File.EMPTY, DENIED},
            {File.MATCHING, File.MATCHING, ALLOWED},
            {File.MATCHING, File.NOT_MATCHING, DENIED},
            {File.NOT_MATCHING, File.ABSENT, ALLOWED},
            {File.NOT_MATCHING, File.EMPTY, ALLOWED},
            {File.NOT_MATCHING, File.MATCHING, ALLOWED},
            {File.NOT_MATCHING, File.NOT_MATCHING, ALLOWED},
    };

    static Stream<Arguments> truthTable() {
        List<Arguments> rows = new ArrayList<>();
        for (Way way : Way.values()) {
            for (Object[] row : TABLE) {
                rows.add(Arguments.of(way, row[0], row[1], row[2]));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: deny {1}, allow {2} -> {3}")
    @MethodSource("truthTable")
    void followsIetForEveryCombination(Way way, File deny, File allow, Verdict expected) throws Exception {
        InitiatorAccess access = new InitiatorAccess(rules("initiators.allow", allow, way),
                rules("initiators.deny", deny, way));
        assertThat(access.verdict(TARGET, way.address(), NAME)).isEqualTo(expected);
        assertThat(access.allows(TARGET, way.address(), NAME)).isEqualTo(expected == ALLOWED);
        assertThat(access.denyInForce()).isEqualTo(deny != File.ABSENT);
    }

    private AccessRules rules(String name, File file, Way way) throws Exception {
        Path p = dir.resolve(name);
        String line = (way.allLine ? "ALL " : TARGET + " ");
        switch (file) {
            case ABSENT -> {
                return AccessRules.read(p);
            }
            case EMPTY -> Files.writeString(p, "# nothing here\n\n");
            case MATCHING -> Files.writeString(p, "# who\n" + line + way.notMatching + ", " + way.matching + "\n");
            case NOT_MATCHING -> Files.writeString(p, line + way.notMatching + "\n");
        }
        return AccessRules.read(p);
    }

    private InitiatorAccess access(String allow, String deny) throws Exception {
        Path a = dir.resolve("initiators.allow");
        Path d = dir.resolve("initiators.deny");
        Files.deleteIfExists(a);
        Files.deleteIfExists(d);
        if (allow != null) {
            Files.writeString(a, allow);
        }
        if (deny != null) {
            Files.writeString(d, deny);
        }
        return new InitiatorAccess(AccessRules.read(a), AccessRules.read(d));
    }

    private static InetAddress address(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void theClassicLockDownLetsInOnlyWhatInitiatorsAllowAllows() throws Exception {
        InitiatorAccess access = access(TARGET + " iqn\\.2026-11\\.org\\.tandem\\.test:allowed\n", "ALL ALL\n");
        InetAddress from = address("127.0.0.1");
        assertThat(access.verdict(TARGET, from, "iqn.2026-11.org.tandem.test:allowed")).isEqualTo(ALLOWED);
        assertThat(access.verdict(TARGET, from, "iqn.2026-11.org.tandem.test:refused")).isEqualTo(DENIED);
        // a target initiators.allow has no line for stays closed: initiators.deny's ALL line covers it
        assertThat(access.verdict(OTHER_TARGET, from, "iqn.2026-11.org.tandem.test:allowed")).isEqualTo(DENIED);
    }

    @Test
    void aDenyLineForOneTargetLeavesTheOthersOpen() throws Exception {
        InitiatorAccess access = access(null, TARGET + " ALL\n");
        InetAddress from = address("10.9.9.9");
        assertThat(access.verdict(TARGET, from, NAME)).isEqualTo(DENIED);
        assertThat(access.verdict(OTHER_TARGET, from, NAME)).isEqualTo(ALLOWED);
    }

    @Test
    void denyReadingStopsAtTheAllLineAsAllowDoes() throws Exception {
        InitiatorAccess access = access(null, "ALL 10.0.0.0/8\n" + OTHER_TARGET + " ALL\n");
        assertThat(access.verdict(OTHER_TARGET, address("192.168.1.1"), NAME)).isEqualTo(ALLOWED);
        assertThat(access.verdict(OTHER_TARGET, address("10.1.1.1"), NAME)).isEqualTo(DENIED);
        assertThat(access.denyRulesFor(OTHER_TARGET)).containsExactly("10.0.0.0/8");
    }

    /**
     * IET's shipped initiators.allow: per-target lines above a closing {@code ALL ALL}. IET's match() consults only the
     * first line naming the target or ALL, so a target with its own line is restricted to it; the ALL line opens only
     * the targets without one. A second line for a target is never read, and neither is anything after ALL.
     */
    @Test
    void onlyTheFirstLineForATargetCountsAsInIet() throws Exception {
        String allow = TARGET + " 10.1.2.3\n" + TARGET + " 10.9.9.9\nALL ALL\n" + OTHER_TARGET + " 10.5.5.5\n";
        try (CapturedLog log = new CapturedLog(AccessRules.class)) {
            InitiatorAccess access = access(allow, null);
            assertThat(access.verdict(TARGET, address("10.1.2.3"), NAME)).isEqualTo(ALLOWED);
            assertThat(access.verdict(TARGET, address("10.9.9.9"), NAME)).isEqualTo(NOT_ALLOWED);
            assertThat(access.verdict(TARGET, address("192.168.7.7"), NAME)).isEqualTo(NOT_ALLOWED);
            assertThat(access.verdict(OTHER_TARGET, address("192.168.7.7"), NAME)).isEqualTo(ALLOWED);
            assertThat(log.containing("initiators.allow:2: never read: line 1 already names " + TARGET)).hasSize(1);
            assertThat(log.containing("initiators.allow:4: never read: reading stops at the ALL line (line 3)"))
                    .hasSize(1);
        }
    }

    @Test
    void withoutADenyFileAllowAloneDecidesAsBefore() throws Exception {
        InitiatorAccess none = access(null, null);
        assertThat(none.allows(TARGET, address("10.1.1.1"), NAME)).isTrue();
        assertThat(none.denyEffectFor(TARGET)).isEmpty();
        assertThat(none.deprecation()).isEmpty();
        InitiatorAccess allowOnly = access(TARGET + " 10.0.0.0/8\nALL 192.168.0.1\n", null);
        assertThat(allowOnly.allows(TARGET, address("10.1.1.1"), NAME)).isTrue();
        assertThat(allowOnly.allows(OTHER_TARGET, address("192.168.0.1"), NAME)).isTrue();
        assertThat(allowOnly.verdict(OTHER_TARGET, address("10.1.1.1"), NAME)).isEqualTo(NOT_ALLOWED);
    }

    @Test
    void eachRefusalNamesTheFileThatRefused() throws Exception {
        InetAddress from = address("10.1.2.3");
        assertThat(NOT_ALLOWED.refusal(NAME, from, TARGET)).isEqualTo("initiators.allow does not allow " + NAME
                + " from 10.1.2.3 to " + TARGET);
        assertThat(DENIED.refusal(NAME, from, TARGET)).isEqualTo("initiators.deny refuses " + NAME
                + " from 10.1.2.3 to " + TARGET + ", and initiators.allow does not allow it");
        assertThat(ALLOWED.refusal(NAME, from, TARGET)).isEmpty();
    }

    @Test
    void theEffectOnATargetIsSpelledOutForTheAdminViews() throws Exception {
        assertThat(access(null, "ALL ALL\n").denyEffectFor(TARGET)).hasValue(
                "initiators.deny refuses every initiator that initiators.allow does not allow");
        assertThat(access(null, "# no rules\n").denyEffectFor(TARGET)).hasValue(
                "initiators.deny has no rule for this target, so every initiator gets in, whatever initiators.allow"
                        + " says");
        InitiatorAccess some = access(null, TARGET + " 10.0.0.0/8, iqn\\.bad:.*\n");
        assertThat(some.denyEffectFor(TARGET)).hasValue("initiators.deny refuses 10.0.0.0/8, iqn\\.bad:.* unless"
                + " initiators.allow allows them; every other initiator gets in, whatever initiators.allow says");
        assertThat(some.denyRulesFor(TARGET)).containsExactly("10.0.0.0/8", "iqn\\.bad:.*");
        assertThat(some.denyEffectFor(OTHER_TARGET)).hasValueSatisfying(e -> assertThat(e).contains("no rule"));
    }

    @Test
    void theDeprecationSaysWhatTheFileDoesAndHowToDropIt() throws Exception {
        String does = "initiators.deny is deprecated (IET deprecated it in 1.4.18) and still in force: Tandem"
                + " refuses an initiator it matches unless initiators.allow allows it, and lets in every initiator"
                + " it does not match, whatever initiators.allow says; ";
        assertThat(access(TARGET + " 10.0.0.1\n", "ALL ALL\n").deprecation()).hasValue(does + "its 'ALL ALL'"
                + " refuses whoever initiators.allow does not allow, which initiators.allow alone already does:"
                + " delete initiators.deny and nothing changes");
        assertThat(access(null, "ALL ALL\n").deprecation()).hasValueSatisfying(d -> assertThat(d)
                .startsWith(does).contains("refuses everyone, as there is no initiators.allow")
                .contains("write an initiators.allow with one line per target listing who may log in"));
        assertThat(access(TARGET + " 10.0.0.1\n", "\n").deprecation()).hasValueSatisfying(d -> assertThat(d)
                .contains("it has no rule, so it lets every initiator in and initiators.allow refuses no one")
                .contains("add 'ALL ALL' as its last line to keep everyone in"));
        assertThat(access(null, "").deprecation()).hasValueSatisfying(d -> assertThat(d)
                .endsWith("it has no rule, so it lets every initiator in: delete it and nothing changes"));
        assertThat(access(null, TARGET + " 10.0.0.0/8\n").deprecation()).hasValueSatisfying(d -> assertThat(d)
                .contains("initiators.allow cannot say 'everyone but'")
                .contains("listing every initiator (address, range or name pattern) that may log in"));
        assertThat(access(null, "ALL ALL\n").deprecation().orElseThrow()).doesNotContain("\n");
    }

    @Test
    void badDenyLinesStopTheReadWithFileLineAndFix() throws Exception {
        Files.writeString(dir.resolve("ietd.conf"), "Target " + TARGET + "\n  Lun 0 Type=nullio\n");
        Path deny = dir.resolve("initiators.deny");
        String[][] cases = {
                {"# lock down\nALL\n", ":2: expected 'TARGET|ALL LIST', got 'ALL'"},
                {"ALL 10.0.0.0/33\n", ":1: prefix /33 too long for '10.0.0.0/33': at most /32 for IPv4, /128 for"
                        + " IPv6"},
                {"ALL [fd00::1\n", ":1: unclosed '[' in IPv6 address '[fd00::1': write [ADDRESS] or"
                        + " [ADDRESS]/PREFIX"},
                {"ALL iqn.\\(\n", ":1: bad initiator-name pattern 'iqn.\\(': unmatched \\( (write a POSIX basic"
                        + " regular expression, as IET did, such as iqn\\.1993-08\\.org\\.debian:.*)"},
                {"ALL [fd00::zz]\n", ":1: expected an address, CIDR range, name pattern or ALL, got"
                        + " '[fd00::zz]'"},
        };
        for (String[] c : cases) {
            Files.writeString(deny, c[0]);
            assertThatThrownBy(() -> IetdConfParser.read(dir.resolve("ietd.conf")))
                    .isInstanceOf(ConfigException.class).hasMessage(deny + c[1]);
        }
    }

    @Test
    void theParserReadsInitiatorsDenyBesideIetdConf() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + TARGET + "\n  Lun 0 Type=nullio\n");
        assertThat(IetdConfParser.read(conf).initiatorAccess().denyInForce()).isFalse();
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        TandemConfig config = IetdConfParser.read(conf);
        assertThat(config.initiatorsDeny().present()).isTrue();
        assertThat(config.initiatorAccess().verdict(TARGET, address("127.0.0.1"), NAME)).isEqualTo(DENIED);
    }

    @Test
    void rulesAreEqualWhenTheirLinesReadTheSame() throws Exception {
        Path p = dir.resolve("initiators.deny");
        Files.writeString(p, "# one\n" + TARGET + " 10.0.0.0/8,  iqn\\..*\nALL ALL\n");
        AccessRules first = AccessRules.read(p);
        Files.writeString(p, TARGET + " 10.0.0.0/8, iqn\\..*\n\nALL ALL\n# comment changed\n");
        assertThat(AccessRules.read(p)).isEqualTo(first).hasSameHashCodeAs(first);
        Files.writeString(p, TARGET + " 10.0.0.0/8\nALL ALL\n");
        assertThat(AccessRules.read(p)).isNotEqualTo(first);
        Files.writeString(p, "");
        assertThat(AccessRules.read(p)).isNotEqualTo(AccessRules.absent());
        assertThat(AccessRules.read(dir.resolve("none"))).isEqualTo(AccessRules.absent());
    }
}
