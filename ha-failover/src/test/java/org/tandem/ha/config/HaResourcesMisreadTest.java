package org.tandem.ha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * haresources lines Tandem once read otherwise than meant, without a word. iSCSI names ignore case (RFC 3722; ietd.conf refuses two targets that differ only in case, and the catalog finds a
 * target whatever its case), so a target named in haresources in another case than in ietd.conf is still that
 * target: it must never end up in two groups, which would have both nodes serve it.
 */
class HaResourcesMisreadTest {
    private static final Path FILE = Path.of("/etc/ha.d/haresources");
    private static final String A = "iqn.2001-04.com.example:a";
    private static final String B = "iqn.2001-04.com.example:b";
    private static final ThisNode NODE = new ThisNode(RouteTable.empty(), List.of(A, B));

    private static List<ResourceGroup> parse(String... lines) throws HaConfigException {
        return HaResourcesParser.parse(FILE, List.of(lines), HaCfParser.parse(Path.of("/etc/ha.d/ha.cf"),
                List.of("node storage1 storage2", "keepalive 100ms", "deadtime 1", "ucast lo 127.0.0.1",
                        "fencing none")), NODE);
    }

    @Test
    void aTargetNamedInUpperCaseIsNotAlsoGivenToTheBareIscsitargetGroup() throws Exception {
        List<ResourceGroup> groups = parse(
                "storage1 iscsi-target::" + A.toUpperCase(Locale.ROOT) + " 192.0.2.100/24/eth0",
                "storage2 iscsitarget 192.0.2.101/24/eth0");
        // group2 (iscsitarget) must get B only: A belongs to group1, whatever case haresources writes it in
        assertThat(groups.get(1).targets()).extracting(t -> t.toLowerCase(Locale.ROOT)).containsExactly(B);
    }

    @Test
    void oneTargetInTwoGroupsIsRefusedWhateverTheCase() {
        assertThatThrownBy(() -> parse(
                "storage1 iscsi-target::" + A + " 192.0.2.100/24/eth0",
                "storage2 iscsi-target::" + A.toUpperCase(Locale.ROOT) + " 192.0.2.101/24/eth0"))
                .isInstanceOf(HaConfigException.class).hasMessageContaining("two groups");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.0/24/eth0", "192.0.2.255/24/eth0", "IPaddr::10.1.255.255/16/eth0",
            "IPaddr::10.1.0.0/255.255.0.0/eth0"})
    void theNetworkOrBroadcastAddressOfItsOwnPrefixIsNoFloatingAddress(String address) {
        // a typo that would take the subnet's broadcast address (answering ARP for it) or its network address
        assertThatThrownBy(() -> parse("storage1 iscsi-target::" + A + " " + address))
                .isInstanceOf(HaConfigException.class).hasMessageContaining("broadcast");
    }

    @Test
    void anInterfaceAliasLabelNamesItsDevice() throws Exception {
        // ifconfig-era alias labels: ip accepts "dev eth0:0" but arping -I eth0:0 fails ("Device eth0:0 not
        // available"), so no gratuitous ARP went out and initiators kept the old node's MAC after a takeover
        assertThat(parse("storage1 iscsi-target::" + A + " IPaddr::192.0.2.100/24/eth0:0").get(0).addresses().get(0)
                .iface()).isEqualTo("eth0");
    }
}
