package org.tandem.ha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ha.cf, authkeys and haresources as Heartbeat users write them; each bad line named with file and line. */
class ClusterConfigTest {
    private static final Path HA_CF = Path.of("/etc/ha.d/ha.cf");
    private static final String GOOD = """
            # two storage servers
            node storage1 storage2
            keepalive 200ms
            warntime 600ms
            deadtime 1
            initdead 5
            udpport 6940
            ucast eth1 10.0.1.2
            bcast eth2
            mcast eth3 239.0.0.43 694 1 0
            auto_failback off
            ping 192.0.2.1
            fence_command /usr/local/sbin/pdu-off --outlet-of
            fence_delay storage1 2
            logfile /var/log/ha-log
            """;

    private static HaConfig haCf(String text) throws HaConfigException {
        return HaCfParser.parse(HA_CF, text.lines().toList());
    }

    @Test
    void readsEveryDirective() throws Exception {
        HaConfig c = haCf(GOOD);
        assertThat(c.nodes()).containsExactly("storage1", "storage2");
        assertThat(c.peerOf("storage1")).isEqualTo("storage2");
        assertThat(c.keepalive()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.warntime()).isEqualTo(Duration.ofMillis(600));
        assertThat(c.deadtime()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.initdead()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.udpPort()).isEqualTo(6940);
        assertThat(c.links()).containsExactly(new HeartbeatLink.Unicast("eth1", "10.0.1.2"),
                new HeartbeatLink.Broadcast("eth2"), new HeartbeatLink.Multicast("eth3", "239.0.0.43", 694, 1, false));
        assertThat(c.autoFailback()).isFalse();
        assertThat(c.pingNodes()).containsExactly("192.0.2.1");
        assertThat(c.fencing().command()).containsExactly("/usr/local/sbin/pdu-off", "--outlet-of");
        assertThat(c.fenceDelay("storage1")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.fenceDelay("storage2")).isZero();
    }

    @Test
    void namesTheLineAndWhatWasExpected() {
        assertThatThrownBy(() -> haCf(GOOD.replace("keepalive 200ms", "keepalive fast")))
                .hasMessage(HA_CF + ":3: expected a time for keepalive (2, 1.5, 500ms), got 'fast'");
        assertThatThrownBy(() -> haCf(GOOD.replace("logfile /var/log/ha-log", "stonith_host * apcsmart /dev/ttyS0")))
                .hasMessageStartingWith(HA_CF + ":15: stonith_host is not supported");
        assertThatThrownBy(() -> haCf(GOOD + "crm on\n")).hasMessageContaining(":16: Tandem has no CRM");
        assertThatThrownBy(() -> haCf(GOOD + "fencing none\n")).hasMessageStartingWith(HA_CF + ":16: fencing is"
                + " configured twice (also on line 13)");
        assertThatThrownBy(() -> haCf(GOOD + "fence_delay storage3 1\n"))
                .hasMessageContaining(":16: fence_delay names storage3, which is not a node");
        assertThatThrownBy(() -> haCf(GOOD + "mcast eth3 239.0.0.43 694 1 2\n"))
                .hasMessage(HA_CF + ":16: expected mcast LOOP from 0 to 1, got '2'");
        assertThatThrownBy(() -> haCf(GOOD + "hopfrequency 3\n")).hasMessageContaining(":16: unknown directive");
    }

    @Test
    void refusesUnsafeOrImpossibleClusters() {
        assertThatThrownBy(() -> haCf(GOOD.replace("fence_command /usr/local/sbin/pdu-off --outlet-of", "")))
                .hasMessageContaining("say how to fence the peer");
        assertThatThrownBy(() -> haCf(GOOD.replace("node storage1 storage2", "node storage1")))
                .hasMessageContaining("exactly two nodes");
        assertThatThrownBy(() -> haCf(GOOD.replace("deadtime 1", "deadtime 300ms").replace("warntime 600ms",
                "warntime 250ms"))).hasMessageContaining("at least twice keepalive");
        assertThatThrownBy(() -> haCf(GOOD.replace("initdead 5", "initdead 500ms")))
                .hasMessage(HA_CF + ":6: initdead (500 ms, line 6) must not be below deadtime (1000 ms, line 5):"
                        + " raise initdead");
        assertThatThrownBy(() -> haCf(GOOD.replace("ucast eth1 10.0.1.2", "").replace("bcast eth2", "")
                .replace("mcast eth3 239.0.0.43 694 1 0", ""))).hasMessageContaining("no heartbeat link");
    }

    @Test
    void authkeysMustBePrivateAndStrong(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("authkeys");
        Files.writeString(f, "auth 2\n1 sha1 0123456789abcdef-old\n2 sha256 0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> AuthKeys.read(f)).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        AuthKeys keys = AuthKeys.read(f);
        assertThat(keys.active().index()).isEqualTo(2);
        assertThat(keys.active().algorithm()).isEqualTo("HmacSHA256");
        assertThat(keys.key(1).algorithm()).isEqualTo("HmacSHA1");
        assertThat(keys.active().toString()).doesNotContain("0123");
        assertThatThrownBy(() -> AuthKeys.parse(f, List.of("auth 1", "1 crc"))).hasMessageContaining(":2: crc is"
                + " not accepted: it authenticates nothing");
        assertThatThrownBy(() -> AuthKeys.parse(f, List.of("auth 1", "1 sha256 short")))
                .hasMessageContaining(":2: key 1 needs one secret of at least 16 characters");
        assertThatThrownBy(() -> AuthKeys.parse(f, List.of("auth 3", "1 sha256 0123456789abcdef")))
                .hasMessageContaining(":1: auth 3 names a key that is not defined");
    }

    @Test
    void haresourcesGroupsWithTheirResources() throws Exception {
        HaConfig cluster = haCf(GOOD);
        Path f = Path.of("/etc/ha.d/haresources");
        List<ResourceGroup> groups = HaResourcesParser.parse(f, List.of(
                "# db on storage1, web on storage2: active/active",
                "storage1 group::db drbddisk::r0 iscsi-target::iqn.2026-11.org.example:db \\",
                "    IPaddr::192.0.2.100/24/eth0",
                "storage2 drbddisk::r1 iscsi-target::iqn.2026-11.org.example:web IPaddr2::192.0.2.101/24/eth0"),
                cluster);
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0)).isEqualTo(new ResourceGroup("db", "storage1", List.of("r0"),
                List.of("iqn.2026-11.org.example:db"),
                List.of(new ResourceGroup.FloatingAddress("192.0.2.100", 24, "eth0"))));
        assertThat(groups.get(1).name()).isEqualTo("group2");
        assertThat(groups.get(1).preferredNode()).isEqualTo("storage2");

        assertThatThrownBy(() -> HaResourcesParser.parse(f, List.of("storage3 iscsi-target::iqn.x"), cluster))
                .hasMessageContaining(":1: the preferred node 'storage3' is not a node");
        assertThatThrownBy(() -> HaResourcesParser.parse(f, List.of("storage1 iscsi-target::iqn.x",
                "storage2 iscsi-target::iqn.x"), cluster)).hasMessageContaining(":2: target iqn.x is in two groups");
        assertThatThrownBy(() -> HaResourcesParser.parse(f, List.of("storage1 iscsi-target::iqn.x IPaddr::10.0.0.1/40/e"),
                cluster)).hasMessageContaining(":1: prefix /40 out of range 1-32");
        assertThatThrownBy(() -> HaResourcesParser.parse(f, List.of("storage1 drbddisk::r0"), cluster))
                .hasMessageContaining(":1: group group1 holds no target; add iscsi-target::IQN");
        assertThatThrownBy(() -> HaResourcesParser.parse(f, List.of("storage1 Filesystem::/dev/x iscsi-target::a"),
                cluster)).hasMessageContaining(":1: Filesystem mounts a file system");
    }
}
