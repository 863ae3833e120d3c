package org.tandem.ha.ip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real ip(8) and arping in a network namespace this test makes (skipped where namespaces are not allowed). */
class FloatingIpTest {
    private static final String NS = "tandem-fip-" + ProcessHandle.current().pid();
    private final CommandRunner runner = new CommandRunner();
    /** The announcements' threads, as the node's background executor would run them; shut down after each test. */
    private final ExecutorService background = Executors.newCachedThreadPool();

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
    void cleanUp() throws InterruptedException {
        background.shutdownNow();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).as("announcements ended").isTrue();
        run("ip", "netns", "del", NS);
    }

    @Test
    void addsAnnouncesAndRemovesIdempotently() throws Exception {
        // ip and arping run inside the namespace through "ip netns exec", as the cluster runs them on a node.
        FloatingIp fip = new FloatingIp(new NamespacedRunner(NS), "ip", "arping", Duration.ofSeconds(10), 2,
                background);
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

    @Test
    void removingAnAddressStopsItsGratuitousArps() throws Exception {
        // A late announcement from the old owner would pull initiators back to its MAC after the new owner's.
        ScriptedRunner scripted = new ScriptedRunner();
        FloatingIp fip = new FloatingIp(scripted, "ip", "arping", Duration.ofSeconds(10), 50, background);
        fip.add(SCRIPTED);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (scripted.arpings.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(scripted.arpings.get()).as("announcements one after another").isGreaterThanOrEqualTo(2);
        fip.remove(SCRIPTED);
        int atRemoval = scripted.arpings.get();
        Thread.sleep(300); // several probe periods of the scripted arping
        assertThat(scripted.arpings.get()).as("at most the probe already under way").isLessThanOrEqualTo(atRemoval + 1);
        assertThat(scripted.commands).contains("arping -U -c 1 -I veth0 192.0.2.100",
                "ip addr del 192.0.2.100/24 dev veth0");
    }

    @Test
    void aTakeoverAndAReleaseRunOneIpCommandEachWhenIpAgrees() throws Exception {
        // Every program run is tens of milliseconds of the initiators' pause on a busy host: the address is listed
        // only when ip refuses.
        ScriptedRunner scripted = new ScriptedRunner();
        new FloatingIp(scripted, "ip", "arping", Duration.ofSeconds(10), 0, background).add(SCRIPTED);
        new FloatingIp(scripted, "ip", "arping", Duration.ofSeconds(10), 0, background).remove(SCRIPTED);
        assertThat(scripted.commands).containsExactly("ip addr add 192.0.2.100/24 dev veth0",
                "ip addr del 192.0.2.100/24 dev veth0");
    }

    /** The address the scripted runner knows. */
    private static final ResourceGroup.FloatingAddress SCRIPTED = new ResourceGroup.FloatingAddress("192.0.2.100", 24,
            "veth0");

    /** Plays ip (one interface's address list) and an arping whose probe takes 20 ms. */
    private static final class ScriptedRunner extends CommandRunner {
        final AtomicInteger arpings = new AtomicInteger();
        final List<String> commands = new CopyOnWriteArrayList<>();
        private volatile boolean up;

        @Override
        public Result run(List<String> command, Duration timeout) {
            String line = String.join(" ", command);
            commands.add(line);
            if (command.get(0).equals("arping")) {
                arpings.incrementAndGet();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new Result(command, 0, "Sent 1 probes (1 broadcast(s))", 20);
            }
            if (line.startsWith("ip addr add")) {
                up = true;
            } else if (line.startsWith("ip addr del")) {
                up = false;
            }
            return new Result(command, 0, up ? "2: veth0    inet 192.0.2.100/24 scope global veth0" : "", 1);
        }
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
