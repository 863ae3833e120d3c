package org.tandem.server.connection;

import org.junit.jupiter.api.Test;
import org.tandem.server.session.IscsiTarget;

import java.util.ArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reload that removes a target closes the target's sessions; a login that passed its checks before the removal
 * and enters full feature phase after the reload listed the sessions must not survive it, serving LUNs whose stores
 * the reload closes. Its connection closes as it enters full feature phase.
 */
class TargetRemovedDuringLoginTest extends ConnectionJobTestBase {

    @Test
    void aConnectionWhoseTargetWasRemovedDuringItsLoginClosesAsItEntersFullFeaturePhase() throws Exception {
        ArrayList<IscsiTarget> removed = new ArrayList<>();
        bench = new ConnectionBench(dir, ConnectionBench.parameters(false, 8192, 262144, true, true, 65536, 1), 0,
                catalog -> removed.add(catalog.removeTarget(ConnectionBench.TARGET)));
        try {
            assertThat(bench.channel.isActive()).as("closed at once").isFalse();
            assertThat(bench.sent()).as("nothing answered").isEmpty();
            assertThat(bench.session.connectionCount()).as("gone from its session").isZero();
        } finally {
            IscsiTarget.closeAll(new ArrayList<>(removed.get(0).units()));
        }
    }

    @Test
    void aTargetRemovedAndAddedAgainIsAnotherTarget() throws Exception {
        // A reload that changes a target so that it must be reopened replaces it: the session's target is the old one.
        bench = new ConnectionBench(dir, ConnectionBench.parameters(false, 8192, 262144, true, true, 65536, 1), 0,
                catalog -> {
                    IscsiTarget old = catalog.removeTarget(ConnectionBench.TARGET);
                    try {
                        catalog.addTarget(old.config());
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    } finally {
                        IscsiTarget.closeAll(new ArrayList<>(old.units()));
                    }
                });
        assertThat(bench.channel.isActive()).isFalse();
    }

    @Test
    void aDiscoverySessionAndAnUnchangedTargetStayOpen() throws Exception {
        open(true, 8192, 262144, 0);
        assertThat(bench.channel.isActive()).isTrue();
        bench.close();
        bench = null;
        open(false, 8192, 262144, 0);
        assertThat(bench.channel.isActive()).isTrue();
        assertThat(bench.session.connectionCount()).isOne();
    }
}
