package org.tandem.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A private network for a test bed: one network namespace (named after this JVM's pid and a counter, so parallel
 * runs and several test beds in one JVM never collide) holding a bridge {@code br0} with address
 * {@value #SUBNET}.1/24, and one tap device per guest on that bridge. Whatever runs inside the namespace (the
 * target daemon, the User-Mode Linux guests) reaches only the bridge: nothing is routed out. {@link #close()}
 * kills every process still in the namespace and deletes it; a JVM shutdown hook does the same if the test run
 * is killed before it gets there.
 */
final class TestbedNetwork implements AutoCloseable {
    /** The first three octets of the bed's addresses: .1 is the bridge (the target's side), guests from .10. */
    static final String SUBNET = "10.79.0";

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String namespace;
    private final List<String> taps = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private TestbedNetwork(String namespace) {
        this.namespace = namespace;
        this.shutdownHook = new Thread(this::removeNamespace, "remove " + namespace);
    }

    /**
     * Creates the namespace and its bridge.
     *
     * @throws org.opentest4j.TestAbortedException (an assumption) when this process may not create namespaces
     */
    static TestbedNetwork create() {
        TestbedNetwork n = new TestbedNetwork("tandem-" + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
        Tools.Result probe = Tools.run(10, "ip", "netns", "add", n.namespace);
        assumeTrue(probe.ok(), "network namespaces are not allowed here: " + probe.output());
        Runtime.getRuntime().addShutdownHook(n.shutdownHook);
        try {
            n.ip("link", "set", "lo", "up");
            n.ip("link", "add", "br0", "type", "bridge", "forward_delay", "0", "stp_state", "0");
            n.ip("addr", "add", bridgeAddress() + "/24", "dev", "br0");
            n.ip("link", "set", "br0", "up");
        } catch (RuntimeException | AssertionError e) {
            n.close();
            throw e;
        }
        return n;
    }

    /** The bridge's address, where a target in the namespace listens for the guests. */
    static String bridgeAddress() {
        return SUBNET + ".1";
    }

    String namespace() {
        return namespace;
    }

    /** Adds a tap device on the bridge for one more guest and returns its name ({@code tap0}, {@code tap1}...). */
    String addTap() {
        String tap = "tap" + taps.size();
        ip("tuntap", "add", "dev", tap, "mode", "tap");
        ip("link", "set", tap, "master", "br0");
        ip("link", "set", tap, "up");
        taps.add(tap);
        return tap;
    }

    /**
     * Isolates a tap on the bridge, or ends that: isolated ports reach the bridge's own address and the ports that
     * are not isolated, but not each other. Isolating two guests' taps cuts the link between just those two (a
     * pulled crossover cable), while both still reach everything else on the bridge.
     */
    void isolate(String tap, boolean isolated) {
        List<String> command = inside(List.of("bridge", "link", "set", "dev", tap, "isolated", isolated ? "on" : "off"));
        Tools.Result r = Tools.run(20, command);
        assertThat(r.ok()).as(String.join(" ", command) + ": " + r.output()).isTrue();
    }

    /** {@code command} prefixed so that it runs inside the namespace. */
    List<String> inside(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return all;
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        Tools.Result r = Tools.run(20, command);
        assertThat(r.ok()).as(String.join(" ", command) + ": " + r.output()).isTrue();
    }

    /** Kills what still runs in the namespace (by pid) and deletes it. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeNamespace();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run: nothing left to undo
        }
    }

    private void removeNamespace() {
        // Two rounds: a process may fork while the first round kills its parent.
        for (int round = 0; round < 2; round++) {
            for (String pid : Tools.run(10, "ip", "netns", "pids", namespace).output().lines()
                    .filter(l -> l.matches("\\d+")).toList()) {
                Tools.run(5, "kill", "-9", pid);
            }
        }
        Tools.run(10, "ip", "netns", "del", namespace);
    }
}
