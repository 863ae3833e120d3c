package org.tandem.server.control;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterControlTest {
    private static ClusterControl withGroups(List<ClusterControl.Group> groups) {
        return new ClusterControl() {
            @Override
            public List<Group> groups() {
                return groups;
            }

            @Override
            public CompletableFuture<Void> switchover(String group) {
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public Object status() {
                return null;
            }
        };
    }

    @Test
    void aTargetsGroupIsFoundIgnoringCaseAsIscsiNamesDo() {
        ClusterControl c = withGroups(List.of(new ClusterControl.Group("db", List.of("iqn.2026-11.org.x:DB")),
                new ClusterControl.Group("web", List.of("iqn.2026-11.org.x:web"))));
        assertThat(c.groupOf("iqn.2026-11.org.x:db")).contains("db");
        assertThat(c.groupOf("iqn.2026-11.org.x:web")).contains("web");
        assertThat(c.groupOf("iqn.2026-11.org.x:local")).isEmpty();
    }

    @Test
    void beforeTheNodePublishedItsGroupsNoTargetHasOne() {
        assertThat(withGroups(List.of()).groupOf("iqn.2026-11.org.x:db")).isEmpty();
    }
}
