package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.CapturedLog;
import org.tandem.ha.config.ResourceGroup;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a restarted node removes before it joins, in which order, and when it must stay out instead. */
class LeftoverCleanupTest {
    private static final ResourceGroup.FloatingAddress PORTAL = new ResourceGroup.FloatingAddress("192.0.2.100", 24,
            "eth0");
    private static final ResourceGroup DB = new ResourceGroup("db", "s1", List.of("r0", "r1"), List.of("vg0"),
            List.of("iqn.2026-11.x:db"), List.of(PORTAL), false);

    /** This node's addresses and Primary resources as ip and drbdadm would report them; a probe may fail. */
    static final class Holdings implements LocalHoldings {
        final Set<String> addresses = new HashSet<>();
        final Set<String> primaries = new HashSet<>();
        String broken;

        @Override
        public boolean holdsAddress(ResourceGroup.FloatingAddress a) throws Exception {
            if (broken != null) {
                throw new Exception(broken);
            }
            return addresses.contains(a.address());
        }

        @Override
        public boolean primary(String r) {
            return primaries.contains(r);
        }
    }

    @Test
    void nothingLeftOverTouchesNothing() {
        GroupLifecycleTest.Recording r = new GroupLifecycleTest.Recording();
        LeftoverCleanup.Outcome o = LeftoverCleanup.run(List.of(DB), new Holdings(), r);
        assertThat(o.clean()).isTrue();
        assertThat(o.removed()).isEmpty();
        assertThat(r.calls).isEmpty();
    }

    @Test
    void aCrashedRunsAddressAndPrimaryAreRemovedInReleaseOrderAndLogged() {
        Holdings h = new Holdings();
        h.addresses.add("192.0.2.100");
        h.primaries.add("r1");
        GroupLifecycleTest.Recording r = new GroupLifecycleTest.Recording();
        try (CapturedLog log = new CapturedLog()) {
            LeftoverCleanup.Outcome o = LeftoverCleanup.run(List.of(DB), h, r);
            assertThat(o.clean()).isTrue();
            // The address first (nobody may reach this node's copy any more), then the volume group on the
            // devices, then the demote; r0 was not Primary here and is left alone.
            assertThat(r.calls).containsExactly("down 192.0.2.100", "deactivate vg0", "demote r1");
            assertThat(o.removed()).containsExactly("address 192.0.2.100/24 on eth0", "active volume group vg0",
                    "DRBD r1 Primary");
            assertThat(log.warnings()).contains(
                    "cluster: group db: address 192.0.2.100/24 on eth0 left over from an earlier run of this node (a"
                            + " crash?); removed",
                    "cluster: group db: DRBD r1 Primary left over from an earlier run of this node (a crash?); removed");
        }
    }

    @Test
    void aRefusedDemoteKeepsTheNodeOutSayingWhatWasLeftAndWhy() {
        Holdings h = new Holdings();
        h.primaries.add("r0");
        GroupLifecycleTest.Recording r = new GroupLifecycleTest.Recording();
        r.failing.add("demote r0");
        LeftoverCleanup.Outcome o = LeftoverCleanup.run(List.of(DB), h, r);
        assertThat(o.clean()).isFalse();
        assertThat(o.refusal()).isEqualTo("group db: cannot remove DRBD r0 Primary left over from an earlier run of"
                + " this node: demote r0 refused");
    }

    @Test
    void aProbeThatFailsKeepsTheNodeOut() {
        Holdings h = new Holdings();
        h.broken = "cannot list the addresses of eth0: ip: exit 1";
        LeftoverCleanup.Outcome o = LeftoverCleanup.run(List.of(DB), h, new GroupLifecycleTest.Recording());
        assertThat(o.clean()).isFalse();
        assertThat(o.refusal()).isEqualTo("group db: cannot list the addresses of eth0: ip: exit 1");
    }
}
