package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The order of the steps, and what a failure part way leaves behind. */
class GroupLifecycleTest {
    private static final ResourceGroup DB = new ResourceGroup("db", "s1", List.of("r0", "r1"),
            List.of("iqn.2026-11.x:db"), List.of(new ResourceGroup.FloatingAddress("192.0.2.100", 24, "eth0")));

    /** Records every call; fails the ones named. */
    static final class Recording implements GroupResources {
        final List<String> calls = new ArrayList<>();
        final List<String> failing = new ArrayList<>();

        private void call(String what) throws Exception {
            calls.add(what);
            if (failing.contains(what)) {
                throw new Exception(what + " refused");
            }
        }

        @Override
        public void promote(String r, boolean peerFenced) throws Exception {
            call("promote " + r + (peerFenced ? " (peer fenced)" : ""));
        }

        @Override
        public void demote(String r) throws Exception {
            call("demote " + r);
        }

        @Override
        public void activateVolumeGroup(String vg) throws Exception {
            call("activate " + vg);
        }

        @Override
        public void deactivateVolumeGroup(String vg) throws Exception {
            call("deactivate " + vg);
        }

        @Override
        public void targetsOnline(List<String> targets) throws Exception {
            call("online " + targets);
        }

        @Override
        public void targetsOffline(List<String> targets) throws Exception {
            call("offline " + targets);
        }

        @Override
        public void addressUp(ResourceGroup.FloatingAddress a) throws Exception {
            call("up " + a.address());
        }

        @Override
        public void addressDown(ResourceGroup.FloatingAddress a) throws Exception {
            call("down " + a.address());
        }

        @Override
        public void announceMove(List<String> targets) {
            calls.add("announce " + targets);
        }

        @Override
        public void tickle(List<org.tandem.ha.heartbeat.TcpConnection> connections) {
            calls.add("tickle " + connections);
        }
    }

    @Test
    void startsStorageFirstAndReleasesItLast() {
        Recording r = new Recording();
        GroupLifecycle.Outcome start = new GroupLifecycle(r).start(DB);
        assertThat(start.state()).isEqualTo(GroupState.SERVING);
        assertThat(r.calls).containsExactly("promote r0", "promote r1", "online [iqn.2026-11.x:db]",
                "up 192.0.2.100");
        assertThat(start.steps()).hasSize(4).allMatch(StepTiming::ok);
        r.calls.clear();
        assertThat(new GroupLifecycle(r).release(DB).state()).isEqualTo(GroupState.OFFLINE);
        // The announcement goes first, while the address still carries it to the initiators.
        assertThat(r.calls).containsExactly("announce [iqn.2026-11.x:db]", "down 192.0.2.100",
                "offline [iqn.2026-11.x:db]", "demote r0", "demote r1");
    }

    @Test
    void theInitiatorsConnectionsToTheGroupsAddressesAreTickledLast() {
        Recording r = new Recording();
        var mine = new org.tandem.ha.heartbeat.TcpConnection(
                org.tandem.ha.heartbeat.TcpConnection.address(new byte[] {(byte) 192, 0, 2, 100}), 3260,
                org.tandem.ha.heartbeat.TcpConnection.address(new byte[] {(byte) 192, 0, 2, 7}), 40000);
        var other = new org.tandem.ha.heartbeat.TcpConnection(
                org.tandem.ha.heartbeat.TcpConnection.address(new byte[] {(byte) 192, 0, 2, 101}), 3260,
                org.tandem.ha.heartbeat.TcpConnection.address(new byte[] {(byte) 192, 0, 2, 7}), 40001);
        new GroupLifecycle(r).start(DB, List.of(mine, other), false);
        assertThat(r.calls).endsWith("up 192.0.2.100", "tickle [192.0.2.7:40000->192.0.2.100:3260]");
    }

    @Test
    void aTakeoverFromAFencedPeerSaysSoToEveryPromote() {
        Recording r = new Recording();
        assertThat(new GroupLifecycle(r).start(DB, List.of(), true).state()).isEqualTo(GroupState.SERVING);
        assertThat(r.calls).startsWith("promote r0 (peer fenced)", "promote r1 (peer fenced)");
    }

    @Test
    void aFailedStartIsUndoneInReverse() {
        Recording r = new Recording();
        r.failing.add("promote r1");
        GroupLifecycle.Outcome o = new GroupLifecycle(r).start(DB);
        assertThat(o.state()).isEqualTo(GroupState.OFFLINE);
        assertThat(r.calls).containsExactly("promote r0", "promote r1", "demote r0");
        assertThat(o.steps().get(1).detail()).isEqualTo("promote r1 refused");
    }

    @Test
    void anUndoThatFailsLeavesTheGroupFailedForThePeerToFence() {
        Recording r = new Recording();
        r.failing.add("up 192.0.2.100");
        r.failing.add("offline [iqn.2026-11.x:db]");
        GroupLifecycle.Outcome o = new GroupLifecycle(r).start(DB);
        assertThat(o.state()).isEqualTo(GroupState.FAILED);
        assertThat(r.calls).containsExactly("promote r0", "promote r1", "online [iqn.2026-11.x:db]",
                "up 192.0.2.100", "offline [iqn.2026-11.x:db]", "demote r1", "demote r0");
    }

    @Test
    void releaseStopsTheDataEvenIfTheAddressWillNotGo() {
        Recording r = new Recording();
        r.failing.add("down 192.0.2.100");
        assertThat(new GroupLifecycle(r).release(DB).state()).isEqualTo(GroupState.FAILED);
        assertThat(r.calls).contains("offline [iqn.2026-11.x:db]", "demote r0", "demote r1");
    }

    /** {@code drbddisk::r0 LVM::vg_iscsi ...}: LVM on top of DRBD. */
    private static final ResourceGroup LVM_ON_DRBD = new ResourceGroup("db", "s1", List.of("r0"),
            List.of("vg_iscsi"), List.of("iqn.2026-11.x:db"),
            List.of(new ResourceGroup.FloatingAddress("192.0.2.100", 24, "eth0")), false);

    @Test
    void volumeGroupsGoActiveAfterPromoteAndInactiveBeforeDemote() {
        Recording r = new Recording();
        GroupLifecycle.Outcome start = new GroupLifecycle(r).start(LVM_ON_DRBD);
        assertThat(start.state()).isEqualTo(GroupState.SERVING);
        assertThat(r.calls).containsExactly("promote r0", "activate vg_iscsi", "online [iqn.2026-11.x:db]",
                "up 192.0.2.100");
        assertThat(start.steps()).extracting(StepTiming::step).contains("activate volume group vg_iscsi");
        r.calls.clear();
        assertThat(new GroupLifecycle(r).release(LVM_ON_DRBD).state()).isEqualTo(GroupState.OFFLINE);
        assertThat(r.calls).containsExactly("announce [iqn.2026-11.x:db]", "down 192.0.2.100",
                "offline [iqn.2026-11.x:db]", "deactivate vg_iscsi", "demote r0");
    }

    @Test
    void aVolumeGroupThatWillNotActivateIsUndoneDownToTheDemote() {
        Recording r = new Recording();
        r.failing.add("activate vg_iscsi");
        GroupLifecycle.Outcome o = new GroupLifecycle(r).start(LVM_ON_DRBD);
        assertThat(o.state()).isEqualTo(GroupState.OFFLINE);
        assertThat(r.calls).containsExactly("promote r0", "activate vg_iscsi", "demote r0");
    }

    @Test
    void aFailedStartAfterTheVolumeGroupDeactivatesItBeforeTheDemote() {
        Recording r = new Recording();
        r.failing.add("online [iqn.2026-11.x:db]");
        GroupLifecycle.Outcome o = new GroupLifecycle(r).start(LVM_ON_DRBD);
        assertThat(o.state()).isEqualTo(GroupState.OFFLINE);
        assertThat(r.calls).containsExactly("promote r0", "activate vg_iscsi", "online [iqn.2026-11.x:db]",
                "deactivate vg_iscsi", "demote r0");
    }

    @Test
    void aVolumeGroupStillActiveAtReleaseFailsTheGroupButDrbdIsStillAskedToDemote() {
        Recording r = new Recording();
        r.failing.add("deactivate vg_iscsi");
        assertThat(new GroupLifecycle(r).release(LVM_ON_DRBD).state()).isEqualTo(GroupState.FAILED);
        assertThat(r.calls).endsWith("deactivate vg_iscsi", "demote r0");
    }
}
