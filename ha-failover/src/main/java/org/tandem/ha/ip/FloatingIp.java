package org.tandem.ha.ip;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.List;

/**
 * Adds and removes floating addresses with {@code ip addr} and, after adding one, sends gratuitous ARPs
 * ({@code arping -U}) so initiators and switches learn the new MAC at once instead of when their ARP cache
 * expires (in the background: arping paces its probes a second apart). Adding an address already there, or
 * removing one that is gone, succeeds.
 */
public final class FloatingIp {
    private static final Logger LOG = LogManager.getLogger(FloatingIp.class);

    private final CommandRunner runner;
    private final String ip;
    private final String arping;
    private final Duration timeout;
    private final int arpCount;

    public FloatingIp(CommandRunner runner, String ip, String arping, Duration timeout, int arpCount) {
        this.runner = runner;
        this.ip = ip;
        this.arping = arping;
        this.timeout = timeout;
        this.arpCount = arpCount;
    }

    /** Adds the address and announces it; throws with the command's words when the address is not up after. */
    public void add(ResourceGroup.FloatingAddress a) throws FloatingIpException {
        if (!present(a)) {
            CommandRunner.Result r = runner.run(List.of(ip, "addr", "add", a.address() + "/" + a.prefix(), "dev",
                    a.iface()), timeout);
            if (!r.ok() && !present(a)) {
                throw new FloatingIpException("cannot add " + a + ": " + r.describe());
            }
        }
        if (!a.address().contains(":")) {
            // -U: unsolicited (gratuitous) ARP, updating every neighbour's cache. arping paces its probes a second
            // apart, so the burst runs in the background: the first probe leaves at once, the takeover goes on.
            Thread t = new Thread(() -> {
                CommandRunner.Result arp = runner.run(List.of(arping, "-U", "-c", String.valueOf(arpCount), "-I",
                        a.iface(), a.address()), timeout.plusSeconds(arpCount));
                if (!arp.ok() && !arp.output().contains("Sent")) {
                    LOG.warn("gratuitous ARP for {} failed: {}", a, arp.describe());
                }
            }, "tandem-arping");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Removes the address; an address that is not there is fine. */
    public void remove(ResourceGroup.FloatingAddress a) throws FloatingIpException {
        if (!present(a)) {
            return;
        }
        CommandRunner.Result r = runner.run(List.of(ip, "addr", "del", a.address() + "/" + a.prefix(), "dev",
                a.iface()), timeout);
        if (!r.ok() && present(a)) {
            throw new FloatingIpException("cannot remove " + a + ": " + r.describe());
        }
    }

    /** Whether the interface holds the address now. */
    public boolean present(ResourceGroup.FloatingAddress a) throws FloatingIpException {
        CommandRunner.Result r = runner.run(List.of(ip, "-o", "addr", "show", "dev", a.iface()), timeout);
        if (!r.ok()) {
            throw new FloatingIpException("cannot list the addresses of " + a.iface() + ": " + r.describe());
        }
        String wanted = " " + a.address() + "/" + a.prefix() + " ";
        return r.output().lines().anyMatch(l -> (l + " ").contains(wanted));
    }
}
