package org.tandem.ha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** haresources lines as IET users wrote them for Heartbeat: read with Heartbeat's meaning, or refused with the fix. */
class HaResourcesParserTest {
    private static final Path FILE = Path.of("/etc/ha.d/haresources");
    private static final String A = "iqn.2001-04.com.example:a";
    private static final String B = "iqn.2001-04.com.example:b";
    private static final String C = "iqn.2001-04.com.example:c";
    private static final ThisNode NODE = new ThisNode(RouteTable.parse("""
            default via 192.168.1.1 dev eth0
            192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.10
            10.0.0.0/16 dev bond0 proto kernel scope link src 10.0.0.10
            2001:db8::/64 dev eth0 proto kernel metric 256
            """), List.of(A, B, C));

    private static HaConfig cluster() throws HaConfigException {
        return HaCfParser.parse(Path.of("/etc/ha.d/ha.cf"), List.of("node storage1 storage2", "keepalive 100ms",
                "deadtime 1", "ucast lo 127.0.0.1", "fencing none"));
    }

    private static List<ResourceGroup> parse(String... lines) throws HaConfigException {
        return HaResourcesParser.parse(FILE, List.of(lines), cluster(), NODE);
    }

    private static ResourceGroup.FloatingAddress address(String line) throws HaConfigException {
        return parse(line).get(0).addresses().get(0);
    }

    @Test
    void theLineIetUsersWroteForLvmOnDrbd() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            ResourceGroup g = parse("storage1 drbddisk::r0 LVM::vg_iscsi IPaddr::192.168.1.100/24/eth0 iscsitarget")
                    .get(0);
            assertThat(g).isEqualTo(new ResourceGroup("group1", "storage1", List.of("r0"), List.of("vg_iscsi"),
                    List.of(A, B, C), List.of(new ResourceGroup.FloatingAddress("192.168.1.100", 24, "eth0")), true));
            assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO " + FILE + ":1: iscsitarget (IET's init script")
                    && l.contains("gives group group1 the 3 target(s) of ietd.conf no other group names: [" + A + ", "
                    + B + ", " + C + "]") && l.contains("stays in standby on both nodes"));
            // Heartbeat started the address before IET, Tandem after the targets: no warning, nothing that matters.
            assertThat(log.lines()).noneMatch(l -> l.startsWith("WARN"));
        }
    }

    /** A named target ietd.conf lacks (a typo) is refused at its haresources line, not later without one. */
    @Test
    void aTargetIetdConfDoesNotDefineIsRefusedAtItsLine() throws Exception {
        assertThatThrownBy(() -> parse("# db", "storage1 drbddisk::r0 iscsi-target::iqn.2001-04.com.example:d"))
                .isInstanceOf(HaConfigException.class).hasMessage(FILE + ":2: target iqn.2001-04.com.example:d is"
                        + " not defined in ietd.conf (its targets: [" + A + ", " + B + ", " + C + "]): correct the"
                        + " name, or add a Target stanza for it to ietd.conf on both nodes");
        // knowing nothing of ietd.conf, the parser cannot tell
        assertThat(HaResourcesParser.parse(FILE, List.of("storage1 iscsi-target::iqn.x:d"), cluster(),
                ThisNode.UNKNOWN).get(0).targets()).containsExactly("iqn.x:d");
    }

    @Test
    void aBareAddressIsIpaddrPlacedByThisNodesRoutes() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            ResourceGroup g = parse("storage1 192.168.1.100 drbddisk::r0 iscsi-target").get(0);
            assertThat(g.addresses()).containsExactly(new ResourceGroup.FloatingAddress("192.168.1.100", 24, "eth0"));
            assertThat(g.drbdResources()).containsExactly("r0");
            assertThat(g.targets()).containsExactly(A, B, C);
            assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO " + FILE + ":1: address 192.168.1.100 placed by"
                    + " this node's route 192.168.1.0/24 dev eth0"));
            // Heartbeat brought the address up first; Tandem brings it up last, which changes nothing that matters.
            assertThat(log.lines()).noneMatch(l -> l.startsWith("WARN"));
        }
    }

    @Test
    void everyIpaddrFormHeartbeatAccepted() throws Exception {
        assertThat(address("storage1 IPaddr::10.0.3.4 iscsi-target::" + A))
                .isEqualTo(new ResourceGroup.FloatingAddress("10.0.3.4", 16, "bond0"));
        assertThat(address("storage1 IPaddr::10.0.3.4/24 iscsi-target::" + A))
                .isEqualTo(new ResourceGroup.FloatingAddress("10.0.3.4", 24, "bond0"));
        assertThat(address("storage1 IPaddr2::10.0.3.4/255.255.255.0 iscsi-target::" + A))
                .isEqualTo(new ResourceGroup.FloatingAddress("10.0.3.4", 24, "bond0"));
        assertThat(address("storage1 IPaddr::192.168.1.100/24/eth0/192.168.1.255 iscsi-target::" + A))
                .isEqualTo(new ResourceGroup.FloatingAddress("192.168.1.100", 24, "eth0"));
        assertThat(address("storage1 IPaddr2::192.168.1.100//eth0 iscsi-target::" + A))
                .isEqualTo(new ResourceGroup.FloatingAddress("192.168.1.100", 24, "eth0"));
        assertThat(address("storage1 IPaddr2::192.168.9.9/24/eth9 iscsi-target::" + A)) // complete: no lookup
                .isEqualTo(new ResourceGroup.FloatingAddress("192.168.9.9", 24, "eth9"));
        assertThat(address("storage1 2001:db8::100 iscsi-target::" + A))
                .isEqualTo(new ResourceGroup.FloatingAddress("2001:db8:0:0:0:0:0:100", 64, "eth0"));
    }

    @Test
    void anAddressNoRouteHoldsIsRefusedWithTheCompleteForm() {
        assertThatThrownBy(() -> parse("storage1 iscsi-target::" + A, "storage2 203.0.113.7 iscsi-target::" + B))
                .isInstanceOf(HaConfigException.class)
                .hasMessageStartingWith(FILE + ":2: no route of this node contains 203.0.113.7")
                .hasMessageContaining("write IPaddr::203.0.113.7/PREFIX/IFACE");
        assertThatThrownBy(() -> parse("storage1 iscsi-target::" + A + " IPaddr::192.168.1.100//eth7"))
                .hasMessageStartingWith(FILE + ":1: no route of this node contains 192.168.1.100 on eth7");
        assertThatThrownBy(() -> HaResourcesParser.parse(FILE, List.of("storage1 IPaddr::192.168.1.100 iscsi-target::"
                + A), cluster())).hasMessageStartingWith(FILE + ":1: no route");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "IPaddr::192.168.1.100/24/eth0/bcast/x | expected IPaddr::ADDRESS[/PREFIX[/IFACE]]",
        "IPaddr::host.example.com/24/eth0      | 'host.example.com' is not a numeric address; write IPaddr::",
        "IPaddr2::192.168.1.100/255.0.255.0    | '255.0.255.0' of 192.168.1.100/255.0.255.0 is neither a prefix",
        "IPaddr::192.168.1.100/33/eth0         | prefix /33 out of range 1-32; write IPaddr::",
        "IPaddr::192.168.1.100/24/eth0/nope    | broadcast 'nope' of 192.168.1.100/24/eth0/nope is not an address",
    })
    void malformedAddressesAreRefusedWithTheForm(String resource, String message) {
        assertThatThrownBy(() -> parse("storage1 iscsi-target::" + A + " " + resource))
                .hasMessageStartingWith(FILE + ":1: " + message);
    }

    @Test
    void ietsInitScriptNamesTakeTheTargetsNoOtherGroupNames() throws Exception {
        for (String script : List.of("iscsitarget", "iscsi-target", "ietd")) {
            List<ResourceGroup> groups = parse("storage1 drbddisk::r0 iscsi-target::" + B,
                    "storage2 drbddisk::r1 " + script + " iscsi-target::" + C);
            assertThat(groups.get(0).targets()).containsExactly(B);
            assertThat(groups.get(0).everyUnnamedTarget()).isFalse();
            assertThat(groups.get(1).targets()).containsExactly(C, A);
            assertThat(groups.get(1).everyUnnamedTarget()).isTrue();
        }
    }

    @Test
    void twoGroupsCannotBothTakeTheUnnamedTargets() {
        assertThatThrownBy(() -> parse("storage1 drbddisk::r0 iscsitarget", "storage2 drbddisk::r1 ietd"))
                .hasMessage(FILE + ":2: group group2 uses iscsitarget (every target of ietd.conf no other group"
                        + " names), as group group1 on line 1 does already; only one group can have them: name this"
                        + " group's targets with iscsi-target::IQN");
    }

    @Test
    void theInitScriptNameWithNothingLeftOrWithAnArgumentIsRefused() {
        assertThatThrownBy(() -> parse("storage1 iscsi-target::" + A + " iscsi-target::" + B,
                "storage2 iscsi-target::" + C, "storage2 group::rest iscsitarget"))
                .hasMessage(FILE + ":3: group rest holds no target: every target of ietd.conf is named by another"
                        + " group; add iscsi-target::IQN naming a target of ietd.conf");
        assertThatThrownBy(() -> parse("storage1 iscsitarget::" + A))
                .hasMessageStartingWith(FILE + ":1: iscsitarget is IET's init script and takes no argument")
                .hasMessageContaining("or iscsi-target::" + A + " for one target");
    }

    @Test
    void lvmVolumeGroupsAndTheOrderWarning() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            ResourceGroup g = parse("storage1 LVM::vg_iscsi drbddisk::r0 iscsi-target::" + A).get(0);
            assertThat(g.volumeGroups()).containsExactly("vg_iscsi");
            assertThat(log.lines()).containsOnlyOnce("WARN " + FILE + ":1: group group1 lists its storage in the"
                    + " order [LVM, DRBD, targets]; Tandem starts it in the order [DRBD, LVM, targets], then the"
                    + " addresses, and releases in reverse, so that no target answers before its storage is Primary"
                    + " and active");
        }
        assertThatThrownBy(() -> parse("storage1 LVM iscsi-target::" + A))
                .hasMessage(FILE + ":1: expected LVM::VOLUME_GROUP (letters, digits and + _ . -), got 'LVM'");
        assertThatThrownBy(() -> parse("storage1 LVM::vg iscsi-target::" + A, "storage2 LVM::vg iscsi-target::" + B))
                .hasMessageStartingWith(FILE + ":2: volume group vg is in two groups");
    }

    @Test
    void targetsWrittenBeforeTheirDrbdAreStartedAfterItAndTheLogSaysSo() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            parse("storage1 iscsitarget IPaddr::192.168.1.100 drbddisk::r0");
            assertThat(log.lines()).filteredOn(l -> l.startsWith("WARN")).containsExactly("WARN " + FILE + ":1: group"
                    + " group1 lists its storage in the order [targets, DRBD]; Tandem starts it in the order [DRBD,"
                    + " targets], then the addresses, and releases in reverse, so that no target answers before its"
                    + " storage is Primary and active");
        }
    }

    @Test
    void drbddiskAloneMeansAllInHeartbeatAndIsRefused() {
        assertThatThrownBy(() -> parse("storage1 drbddisk iscsi-target::" + A))
                .hasMessageStartingWith(FILE + ":1: drbddisk without a resource would mean every DRBD resource")
                .hasMessageEndingWith("name the group's resources: drbddisk::r0 drbddisk::r1 ...");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Filesystem::/dev/drbd0::/srv/iscsi::ext3 | Filesystem mounts a file system, but a target exports block devices",
        "MailTo::root::takeover                   | MailTo sends mail on takeover",
        "Delay::5::0                              | Delay only waits",
        "SendArp::192.168.1.100/eth0              | SendArp sends gratuitous ARPs, which Tandem already sends",
        "portblock::tcp::3260::block              | portblock blocks the iSCSI port during a move",
        "IPsrcaddr::192.168.1.100                 | IPsrcaddr changes the node's preferred source address",
        "apache                                   | apache is a service other than an iSCSI target",
        "nfs-kernel-server                        | nfs-kernel-server is a service other than an iSCSI target",
        "Raid1::/etc/raidtab::md0                 | Raid1 assembles software RAID",
        "IPv6addr::2001:db8::5/64/eth0            | write IPv6 addresses as IPaddr::ADDRESS/PREFIX/IFACE",
    })
    void scriptsThatMakeNoSenseForATargetAreRefusedWithWhyAndWhatToDo(String resource, String why) {
        assertThatThrownBy(() -> parse("# storage", "storage1 iscsi-target::" + A + " \\", "  " + resource))
                .hasMessageStartingWith(FILE + ":2: " + why)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("remove", "write", "put", "give"));
    }

    @Test
    void anUnknownResourceIsRefusedListingWhatIsAccepted() {
        assertThatThrownBy(() -> parse("storage1 iscsi-target::" + A + " Frobnicate::x"))
                .hasMessage(FILE + ":1: unknown resource 'Frobnicate::x'; Tandem accepts group::NAME, drbddisk::RES,"
                        + " LVM::VG, iscsi-target::IQN, iscsitarget (every target no other group names),"
                        + " IPaddr::ADDRESS[/PREFIX[/IFACE]] (or IPaddr2::, or the bare address)");
    }

    /** The preferred node is a node name: compared without case, as Heartbeat lowercases both. */
    @Test
    void thePreferredNodeIgnoresCase() throws Exception {
        assertThat(parse("Storage1 iscsi-target::" + A, "STORAGE2 iscsi-target::" + B))
                .extracting(ResourceGroup::preferredNode).containsExactly("storage1", "storage2");
        assertThatThrownBy(() -> parse("Storage3 iscsi-target::" + A)).hasMessage(FILE + ":1: the preferred node"
                + " 'Storage3' is not a node of ha.cf [storage1, storage2]: start the line with one of those names");
    }

    @Test
    void commentsAfterResourcesAreIgnored() throws Exception {
        List<ResourceGroup> groups = parse(
                "storage1 drbddisk::r0 iscsi-target::" + A + " IPaddr::192.168.1.100/24/eth0  # portal",
                "storage2 drbddisk::r1 \\   # the web LUNs",
                "   iscsi-target::" + B + "\t#second portal: IPaddr::192.168.1.101/24/eth0",
                "   # storage2 drbddisk::r2 iscsi-target::" + C);
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).addresses()).hasSize(1);
        assertThat(groups.get(1).drbdResources()).containsExactly("r1");
        assertThat(groups.get(1).targets()).containsExactly(B);
        assertThat(groups.get(1).addresses()).isEmpty();
    }
}
