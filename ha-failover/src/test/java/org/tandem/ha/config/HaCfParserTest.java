package org.tandem.ha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ha.cf split as Heartbeat's config.c splits it (commas and white space; white space only for whole-line media
 * such as ucast), names that cannot be interfaces or hosts refused, and every Heartbeat directive either honoured,
 * warned about, or refused with what to write instead. The line under test is always line 4.
 */
class HaCfParserTest {
    private static final Path HA_CF = Path.of("/etc/ha.d/ha.cf");
    private static final String BASE = "node storage1 storage2\nfencing none\nucast eth9 10.9.0.2\n";

    private static HaConfig haCf(String line) throws HaConfigException {
        return HaCfParser.parse(HA_CF, (BASE + line + "\n").lines().toList());
    }

    private static List<HeartbeatLink> extraLinks(String line) throws HaConfigException {
        List<HeartbeatLink> links = haCf(line).links();
        return links.subList(1, links.size());
    }

    @Test
    void bcastWithACommaListIsOneLinkPerInterface() throws Exception {
        List<HeartbeatLink> two = List.of(new HeartbeatLink.Broadcast("eth0"), new HeartbeatLink.Broadcast("eth1"));
        assertThat(extraLinks("bcast eth0, eth1")).isEqualTo(two);
        assertThat(extraLinks("bcast eth0,eth1")).isEqualTo(two);
        assertThat(extraLinks("bcast eth0 ,eth1,")).isEqualTo(two);
        assertThat(extraLinks("bcast eth0 eth1")).isEqualTo(two);
        assertThat(extraLinks("bcast eth0 # eth1 is the replication network")).containsExactly(two.get(0));
    }

    @Test
    void nodeAndPingCommaListsAreSplitToo() throws Exception {
        HaConfig c = HaCfParser.parse(HA_CF, List.of("node storage1, storage2", "fencing none", "ucast eth9 10.9.0.2",
                "ping 192.0.2.1,192.0.2.2"));
        assertThat(c.nodes()).containsExactly("storage1", "storage2");
        assertThat(c.pingNodes()).containsExactly("192.0.2.1", "192.0.2.2");
        assertThat(HaCfParser.parse(HA_CF, List.of("node storage1,storage2", "fencing none", "bcast eth0")).nodes())
                .containsExactly("storage1", "storage2");
    }

    /**
     * Both nodes' addresses on one ucast line, so one ha.cf serves both nodes: one link per address (Heartbeat's
     * plugin would have dropped the second word or failed on the comma).
     */
    @Test
    void ucastWithSeveralAddressesIsOneLinkPerAddress() throws Exception {
        List<HeartbeatLink> two = List.of(new HeartbeatLink.Unicast("eth1", "10.0.0.2"),
                new HeartbeatLink.Unicast("eth1", "10.0.0.3"));
        assertThat(extraLinks("ucast eth1 10.0.0.2, 10.0.0.3")).containsExactlyElementsOf(two);
        assertThat(extraLinks("ucast eth1 10.0.0.2,10.0.0.3")).containsExactlyElementsOf(two);
        assertThat(extraLinks("ucast eth1 10.0.0.2 10.0.0.3 # both nodes")).containsExactlyElementsOf(two);
        assertThat(extraLinks("ucast eth1 10.0.0.2")).containsExactly(two.get(0));
    }

    @Test
    void ucastNeedsAnInterfaceAndAnAddress() {
        assertThatThrownBy(() -> haCf("ucast eth1, 10.0.0.2")).hasMessageContaining(HA_CF + ":4: ucast:")
                .hasMessageContaining("'ip link' shows it");
        assertThatThrownBy(() -> haCf("ucast eth1")).hasMessage(HA_CF + ":4: expected 'ucast IFACE PEER-ADDRESS"
                + " [PEER-ADDRESS...]'");
        assertThatThrownBy(() -> haCf("ucast eth1 ,")).hasMessage(HA_CF + ":4: expected 'ucast IFACE PEER-ADDRESS"
                + " [PEER-ADDRESS...]'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bcast eth0:1", "bcast a/b", "bcast .", "bcast ..", "bcast abcdefghijklmnop",
            "ucast eth0:1 10.0.0.2", "mcast eth0:0 239.0.0.43 694 1 0", "bcast eth\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})
    void namesThatCannotBeALinuxInterfaceAreRefused(String line) {
        assertThatThrownBy(() -> haCf(line)).hasMessageStartingWith(HA_CF + ":4: " + line.split(" ")[0] + ": ")
                .hasMessageContaining("interface name")
                .hasMessageEndingWith("write the interface's name as 'ip link' shows it (e.g. eth1)");
    }

    @Test
    void aFifteenByteInterfaceNameIsFine() throws Exception {
        assertThat(extraLinks("bcast abcdefghijklmno")).containsExactly(new HeartbeatLink.Broadcast("abcdefghijklmno"));
        assertThat(HeartbeatLink.invalidInterfaceName("br-lan.100")).isEmpty();
        assertThat(HeartbeatLink.invalidInterfaceName("eth0,")).get().asString().contains("comma");
    }

    @ParameterizedTest
    @ValueSource(strings = {"storage_1", "-storage1", "storage1-", "storage..one", "storage1.",
            "a234567890123456789012345678901234567890123456789012345678901234"})
    void nodeNamesThatCannotBeHostNamesAreRefused(String name) {
        assertThatThrownBy(() -> HaCfParser.parse(HA_CF, List.of("fencing none", "bcast eth0", "#",
                "node storage2 " + name))).hasMessage(HA_CF + ":4: node '" + name + "' cannot be a host name"
                + " (letters, digits and '-' in dot-separated labels of at most 63 characters): write each node's"
                + " name as 'uname -n' prints it, separated by spaces or commas");
    }

    @Test
    void nodeNamesDifferingOnlyInCaseAreOneNodeAsInHeartbeat() {
        assertThatThrownBy(() -> HaCfParser.parse(HA_CF, List.of("fencing none", "bcast eth0", "#",
                "node storage1, Storage1"))).hasMessage(HA_CF + ":4: node Storage1 is named twice (host names ignore"
                + " case): name each node once");
    }

    @Test
    void udpportAfterTheLinksWarnsThatHeartbeatWouldHaveUsedTheDefaultForThem() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            assertThat(haCf("udpport 6940").udpPort()).isEqualTo(6940);
            assertThat(log.warnings()).containsExactly(HA_CF + ":4: udpport comes after link lines: Heartbeat would"
                    + " have kept the default port for those links, Tandem uses 6940 on every link; move udpport"
                    + " above the links");
        }
        try (CapturedLog log = new CapturedLog()) {
            HaCfParser.parse(HA_CF, List.of("udpport 6940", "node storage1 storage2", "fencing none", "bcast eth0"));
            assertThat(log.warnings()).isEmpty();
        }
    }

    @Test
    void fullyQualifiedNodeNamesAreHostNames() throws Exception {
        assertThat(HaCfParser.parse(HA_CF, List.of("node storage1.example.org, Storage-2", "fencing none",
                "bcast eth0")).nodes()).containsExactly("storage1.example.org", "storage-2");
    }

    /** Heartbeat lowercases node names where it reads them; so does Tandem, so every comparison ignores case. */
    @Test
    void nodeNamesAreLowercasedWhereTheyAreReadAsInHeartbeat() throws Exception {
        HaConfig c = HaCfParser.parse(HA_CF, List.of("node Storage1 STORAGE2", "fencing none", "bcast eth0",
                "fence_delay STORAGE1 2"));
        assertThat(c.nodes()).containsExactly("storage1", "storage2");
        assertThat(c.fenceDelay("storage1")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.fenceDelay("Storage1")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.peerOf("STORAGE1")).isEqualTo("storage2");
        assertThatThrownBy(() -> HaCfParser.parse(HA_CF, List.of("node Storage1 STORAGE2", "fencing none",
                "bcast eth0", "fence_delay Storage3 2"))).hasMessage(HA_CF + ":4: fence_delay names storage3, which"
                + " is not a node ([storage1, storage2])");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "cluster linux-ha|authkeys signature",
            "hopfudge 1|never forwarded",
            "deadping 30|ping nodes",
            "logfacility local0|Log4j 2",
            "logfile /var/log/ha-log|Log4j 2",
            "debugfile /var/log/ha-debug|Log4j 2",
            "debug 1|Log4j 2",
            "use_logd yes|Log4j 2",
            "conn_logd_time 60|Log4j 2",
            "syslogmsgfmt true|Log4j 2",
            "log_badpack true|rejects",
            "rtprio 5|real-time",
            "realtime true|real-time",
            "memreserve 6500|-Xmx",
            "coredumps true|LimitCORE",
            "coreroot /var/lib/heartbeat/cores|LimitCORE",
            "hbgenmethod file|generation",
            "uuidfrom nodename|names",
            "normalpoll true|poll",
            "msgfmt netstring|signed binary format",
            "compression zlib|never compressed",
            "compression_threshold 2|never compressed",
            "traditional_compression no|never compressed",
            "max_rexmit_delay 250|retransmits",
            "use_apphbd yes|apphbd",
            "apiauth ipfail uid=hacluster|API",
            "env HA_X=1|environment",
            "failfast hacluster /usr/lib/heartbeat/ccm|systemd",
            "crm_daemon_dir /usr/lib/pacemaker|Pacemaker",
            "crmd_spawns_pengine yes|Pacemaker",
            "record_config_changes on|Pacemaker",
            "record_pengine_inputs on|Pacemaker",
            "enable_config_writes on|Pacemaker",
            "respawn hacluster /usr/lib/heartbeat/ipfail|ipfail's behaviour is built in",
            "respawn hacluster /usr/lib/heartbeat/dopd|run '/usr/lib/heartbeat/dopd' under systemd",
            "respawn ipfail|ipfail's behaviour is built in",
            "respawn /usr/lib/heartbeat/ipfail|ipfail's behaviour is built in"})
    void heartbeatDirectivesWithoutEffectAreAcceptedWithOneWarning(String line, String why) throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            haCf(line);
            assertThat(log.warnings()).hasSize(1);
            assertThat(log.warnings().get(0)).startsWith(HA_CF + ":4: " + line.split(" ")[0]).contains("has no effect")
                    .contains(why);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "watchdog /dev/watchdog|remove it and let systemd watch the daemon",
            "quorum_server 10.0.0.9|settled by fence_command",
            "stonith baytech /etc/ha.d/conf/stonith.baytech|write 'fence_command PROGRAM ARGS...'",
            "stonith_host * apcsmart /dev/ttyS0|write 'fence_command PROGRAM ARGS...'",
            "serial /dev/ttyS0|use ucast, mcast or bcast",
            "baud 19200|use ucast, mcast or bcast",
            "ucast6 eth1 fe80::1|use ucast, mcast or bcast over IPv4",
            "mcast6 eth1 ff02::1 694 1 0|use ucast, mcast or bcast over IPv4",
            "ping6 fe80::1|'ping ADDRESS'",
            "hbaping fc0|'ping ADDRESS'",
            "openais|use ucast, mcast or bcast",
            "tipc 1 2|use ucast, mcast or bcast",
            "rds eth1|use ucast, mcast or bcast",
            "crm on|say 'crm off'",
            "crm respawn|say 'crm off'",
            "pacemaker yes|say 'pacemaker off'",
            "autojoin any|write 'autojoin none'",
            "nice_failback maybe|write auto_failback",
            "auto_failback sometimes|expected auto_failback on or off",
            "keepalive 1, 2|Heartbeat would keep only the last): write 'keepalive TIME",
            "udpport 694 695|write 'udpport PORT'",
            "mcast eth3 239.0.0.43 694 1 0 eth4|one interface a line",
            "respawn /usr/lib/heartbeat/dopd|expected 'respawn USER PROGRAM [ARGUMENT...]'",
            "bogus 1|unknown directive 'bogus'"})
    void directivesTandemWouldSilentlyMisreadAreRefusedWithWhatToWrite(String line, String fix) {
        assertThatThrownBy(() -> haCf(line)).hasMessageStartingWith(HA_CF + ":4: ").hasMessageContaining(fix);
    }

    @Test
    void offAndNoneFormsOfHeartbeatOnlyFeaturesAreFine() throws Exception {
        for (String line : List.of("crm off", "crm no", "crm false", "pacemaker 0", "autojoin none", "autojoin NONE")) {
            try (CapturedLog log = new CapturedLog()) {
                assertThat(haCf(line).nodes()).as(line).hasSize(2);
                assertThat(log.warnings()).as(line).isEmpty();
            }
        }
    }

    @Test
    void niceFailbackIsAutoFailbackWithTheOppositeSenseAndAWarning() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            assertThat(haCf("nice_failback on").autoFailback()).isFalse();
            assertThat(haCf("nice_failback off").autoFailback()).isTrue();
            assertThat(log.warnings()).containsExactly(
                    HA_CF + ":4: nice_failback is obsolete and means the opposite of auto_failback: read as"
                            + " 'auto_failback off'; write that instead",
                    HA_CF + ":4: nice_failback is obsolete and means the opposite of auto_failback: read as"
                            + " 'auto_failback on'; write that instead");
        }
    }

    /**
     * A single-valued directive given twice: Heartbeat's config.c sets the value again, so the last line counts.
     * Tandem keeps that meaning, for every such directive alike, and warns naming both lines.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "keepalive 2|KEEPALIVE 3|keepalive 3",
            "warntime 10|warntime 12|warntime 12",
            "deadtime 30|deadtime 40|deadtime 40",
            "initdead 60|initdead 90|initdead 90",
            "udpport 694|udpport 695|udpport 695",
            "auto_failback on|auto_failback off|auto_failback off",
            "nice_failback on|auto_failback on|auto_failback on",
            "fence_delay storage1 1|fence_delay STORAGE1 2|fence_delay storage1 2"})
    void aRepeatedSingleValuedDirectiveCountsFromItsLastLineWithAWarning(String first, String second, String read)
            throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            HaConfig c = HaCfParser.parse(HA_CF, List.of("node storage1 storage2", "fencing none", "bcast eth0",
                    first, "#", second));
            HaConfig expected = HaCfParser.parse(HA_CF, List.of("node storage1 storage2", "fencing none",
                    "bcast eth0", read));
            assertThat(c).isEqualTo(expected);
            String written = second.split(" ")[0].toLowerCase(java.util.Locale.ROOT)
                    + second.substring(second.indexOf(' '));
            assertThat(log.warnings()).filteredOn(w -> w.contains("repeats")).containsExactly(HA_CF + ":6: '"
                    + written + "' repeats '" + first + "' of line 4: as in Heartbeat the last line counts, so line 6"
                    + " is used; remove the other line");
        }
    }

    @Test
    void fencingTwiceIsRefusedNamingBothLines() {
        assertThatThrownBy(() -> HaCfParser.parse(HA_CF, List.of("node storage1 storage2", "fencing none",
                "bcast eth0", "fence_command /usr/sbin/pdu-off"))).hasMessage(HA_CF + ":4: fencing is configured"
                + " twice (also on line 2): keep one fence_command line (Tandem runs one command; let it try several"
                + " devices if needed) or 'fencing none'");
    }

    @Test
    void autoFailbackTakesHeartbeatsBooleansAndLegacy() throws Exception {
        for (String on : List.of("on", "yes", "y", "true", "1", "ON")) {
            assertThat(haCf("auto_failback " + on).autoFailback()).as(on).isTrue();
        }
        for (String off : List.of("off", "no", "n", "false", "0")) {
            assertThat(haCf("auto_failback " + off).autoFailback()).as(off).isFalse();
        }
        try (CapturedLog log = new CapturedLog()) {
            assertThat(haCf("auto_failback legacy").autoFailback()).isTrue();
            assertThat(log.warnings()).singleElement().asString().startsWith(HA_CF + ":4: auto_failback legacy is read"
                    + " as 'auto_failback on'").endsWith("write 'auto_failback on'");
        }
    }

    @Test
    void timesInMicrosecondsAsHeartbeatsClGetMsecReadsThem() throws Exception {
        assertThat(haCf("keepalive 500000us").keepalive()).isEqualTo(Duration.ofMillis(500));
        assertThat(haCf("keepalive 250MS").keepalive()).isEqualTo(Duration.ofMillis(250));
        assertThat(haCf("keepalive 0.001").keepalive()).isEqualTo(Duration.ofMillis(1));
        assertThat(haCf("keepalive 1000us").keepalive()).isEqualTo(Duration.ofMillis(1));
        assertThat(haCf("keepalive 1.5ms").keepalive()).as("rounded as Heartbeat rounds").isEqualTo(Duration.ofMillis(2));
        assertThat(haCf("deadtime 86400").deadtime()).isEqualTo(Duration.ofDays(1));
    }

    /** A positive time that would round to 0 ms is refused at its line, not turned into 0 to fail elsewhere. */
    @ParameterizedTest
    @ValueSource(strings = {"deadtime 30us", "keepalive 999usec", "warntime 0.5ms", "initdead 0.0001",
            "fence_delay storage1 10us"})
    void aPositiveTimeBelowOneMillisecondIsRefusedAtItsLine(String line) {
        String value = line.substring(line.lastIndexOf(' ') + 1);
        assertThatThrownBy(() -> haCf(line)).hasMessage(HA_CF + ":4: " + line.split(" ")[0] + " " + value
                + " is below 1 ms: Tandem's clocks count milliseconds; write at least 1ms");
    }

    @Test
    void aTimeOfMoreThanADayIsRefusedRatherThanOverflowing() {
        assertThatThrownBy(() -> haCf("deadtime 99999999999999999999999")).hasMessage(HA_CF + ":4: deadtime"
                + " 99999999999999999999999 is more than a day: write at most 86400 (seconds)");
    }

    /** The whole-file timing checks name the lines of the directives involved, or say where a default came from. */
    @Test
    void timingChecksNameTheLinesOfTheirDirectives() {
        assertThatThrownBy(() -> haCf("warntime 20\ndeadtime 10")).hasMessage(HA_CF + ":4: warntime (20000 ms,"
                + " line 4) must not exceed deadtime (10000 ms, line 5): lower warntime or raise deadtime");
        assertThatThrownBy(() -> haCf("deadtime 3\nkeepalive 2")).hasMessage(HA_CF + ":5: keepalive (2000 ms,"
                + " line 5) must be above zero and below warntime (1500 ms, by default half of deadtime on line 4):"
                + " lower keepalive or raise warntime");
        assertThatThrownBy(() -> haCf("warntime 40")).hasMessage(HA_CF + ":4: warntime (40000 ms, line 4) must not"
                + " exceed deadtime (30000 ms, the default): lower warntime or raise deadtime");
        assertThatThrownBy(() -> haCf("keepalive 0")).hasMessage(HA_CF + ":4: keepalive (0 ms, line 4) must be above"
                + " zero and below warntime (15000 ms, by default half of deadtime): lower keepalive or raise"
                + " warntime");
        assertThatThrownBy(() -> haCf("keepalive 1\nwarntime 1.5\ndeadtime 1.9")).hasMessage(HA_CF + ":6: deadtime"
                + " (1900 ms, line 6) must be at least twice keepalive (1000 ms, line 4), or one lost packet kills a"
                + " node: raise deadtime or lower keepalive");
        assertThatThrownBy(() -> haCf("initdead 10")).hasMessage(HA_CF + ":4: initdead (10000 ms, line 4) must not"
                + " be below deadtime (30000 ms, the default): raise initdead");
        assertThatThrownBy(() -> haCf("deadtime 0")).as("no line sets keepalive or warntime: deadtime's, that warntime"
                + " derives from").hasMessage(HA_CF + ":4: keepalive (2000 ms, the default) must be above zero and"
                + " below warntime (0 ms, by default half of deadtime on line 4): lower keepalive or raise warntime");
    }

    @Test
    void aHashGluedToAWordCutsTheLineAndSaysSo() throws Exception {
        // a fence password with a '#': Heartbeat's rule cuts it, and fencing would fail only at the takeover
        try (CapturedLog log = new CapturedLog()) {
            HaConfig c = HaCfParser.parse(Path.of("/etc/ha.d/ha.cf"), List.of("node a b", "ucast eth0 10.0.0.2",
                    "fence_command /usr/sbin/fence_ipmilan -P pa#ss -n"));
            assertThat(c.fencing().command()).containsExactly("/usr/sbin/fence_ipmilan", "-P", "pa");
            assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("ha.cf:3:")
                    && l.contains("'pa#ss'"));
        }
    }
}
