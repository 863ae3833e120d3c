package org.tandem.ha.takeover;

import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The target's part of a group's steps reaches the target through ServedTargets, in the lifecycle's order. */
class ClusterResourcesTest {
    /** Notes each call; a group with no DRBD resource, volume group or address needs nothing else. */
    private static final class RecordingTargets implements ServedTargets {
        final List<String> calls = new ArrayList<>();

        @Override
        public void targetsOnline(List<String> targets) {
            calls.add("online " + targets);
        }

        @Override
        public void targetsOffline(List<String> targets) {
            calls.add("offline " + targets);
        }

        @Override
        public void announceMove(List<String> targets) {
            calls.add("announce " + targets);
        }
    }

    @Test
    void startBringsTheTargetsOnlineAndReleaseAnnouncesTheMoveBeforeTakingThemOffline() {
        RecordingTargets targets = new RecordingTargets();
        GroupLifecycle lifecycle = new GroupLifecycle(new ClusterResources(null, null, null, null, targets));
        ResourceGroup g = new ResourceGroup("db", "s1", List.of(), List.of("iqn.2026-11.x:db"), List.of());

        assertThat(lifecycle.start(g).state()).isEqualTo(GroupState.SERVING);
        assertThat(lifecycle.release(g).state()).isEqualTo(GroupState.OFFLINE);

        assertThat(targets.calls).containsExactly("online [iqn.2026-11.x:db]", "announce [iqn.2026-11.x:db]",
                "offline [iqn.2026-11.x:db]");
    }
}
