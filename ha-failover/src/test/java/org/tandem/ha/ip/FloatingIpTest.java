package org.tandem.ha.ip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real ip(8) and arping in a network namespace this test makes (skipped where namespaces are not allowed). */
class FloatingIpTest {
    private static final String NS = "tandem-fip-" + ProcessHandle.current().pid();
    private final CommandRunner runner = new CommandRunner();

    private CommandRunner.Result run(String... command) {
        return runner.run(List.of(command), Duration.ofSeconds(10));
    }

    @BeforeEach
    void namespace() {
        CommandRunner.Result r = run("ip", "netns", "add", NS);
        assumeTrue(r.ok(), "network namespaces not allowed here: " + r.describe());
        assumeTrue(run("ip", "-n", NS, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1").ok(),
                "veth not available");
        run("ip", "-n", NS, "link", "set", "veth0", "up");
        run("ip", "-n", NS, "link", "set", "veth1", "up");
        run("ip", "-n", NS, "addr", "add", "192.0.2.1/24", "dev", "veth1");
    }

    @AfterEach
    void cleanUp() {
        run("ip", "netns", "del", NS);
    }

    @Test
    void addsAnnouncesAndRemovesIdempotently() throws Exception {
        // ip and arping run inside the namespace through "ip netns exec", as the cluster runs them on a node.
        FloatingIp fip = new FloatingIp(new NamespacedRunner(NS), "ip", "arping", Duration.ofSeconds(10), 2);
        ResourceGroup.FloatingAddress a = new ResourceGroup.FloatingAddress("192.0.2.100", 24, "veth0");
        assertThat(fip.present(a)).isFalse();
        fip.add(a);
        assertThat(fip.present(a)).isTrue();
        assertThat(run("ip", "-n", NS, "-o", "addr", "show", "dev", "veth0").output()).contains("192.0.2.100/24");
        fip.add(a); // already there: fine
        fip.remove(a);
        assertThat(fip.present(a)).isFalse();
        fip.remove(a); // already gone: fine
        assertThatThrownBy(() -> fip.add(new ResourceGroup.FloatingAddress("192.0.2.101", 24, "nosuch0")))
                .hasMessageContaining("nosuch0");
    }

    /** Runs each command inside a namespace. */
    private static final class NamespacedRunner extends CommandRunner {
        private final String ns;

        NamespacedRunner(String ns) {
            this.ns = ns;
        }

        @Override
        public Result run(List<String> command, Duration timeout) {
            List<String> wrapped = new java.util.ArrayList<>(List.of("ip", "netns", "exec", ns));
            wrapped.addAll(command);
            return super.run(wrapped, timeout);
        }
    }
}
