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
 * expires. Both steps are idempotent: adding an address already there, or removing one that is gone, succeeds.
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
            // -U: unsolicited ARP (gratuitous), updating every neighbour's cache; -w bounds the burst.
            CommandRunner.Result arp = runner.run(List.of(arping, "-U", "-c", String.valueOf(arpCount), "-w",
                    String.valueOf(Math.max(1, arpCount)), "-I", a.iface(), a.address()), timeout);
            if (!arp.ok() && !arp.output().contains("Sent")) {
                LOG.warn("gratuitous ARP for {} failed: {}", a, arp.describe());
            }
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
