package org.tandem.ha.ip;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Adds and removes floating addresses with {@code ip addr} and, after adding one, sends gratuitous ARPs
 * ({@code arping -U}) so initiators and switches learn the new MAC at once instead of when their ARP cache
 * expires (in the background: one probe a second). Removing an address first stops its announcements: arping
 * keeps sending for an address that is gone, and a late announcement from the old owner after the new owner's
 * would pull the initiators back to the wrong MAC for a second or more (measured: a 3.2 s pause in a
 * switchover). Adding an address already there, or removing one that is gone, succeeds.
 */
public final class FloatingIp {
    private static final Logger LOG = LogManager.getLogger(FloatingIp.class);

    private final CommandRunner runner;
    private final String ip;
    private final String arping;
    private final Duration timeout;
    private final int arpCount;
    /** Runs each address's series of gratuitous ARPs (seconds of blocking arping runs) off the takeover's thread. */
    private final Executor announcements;
    /** Per address, the flag that stops its running announcement. */
    private final Map<String, AtomicBoolean> announcing = new ConcurrentHashMap<>();

    /**
     * @param arpCount     gratuitous ARPs sent after an address is added, one a second
     * @param announcements runs those series (the node's background threads); one may block for arpCount seconds
     */
    public FloatingIp(CommandRunner runner, String ip, String arping, Duration timeout, int arpCount,
                      Executor announcements) {
        this.runner = runner;
        this.ip = ip;
        this.arping = arping;
        this.timeout = timeout;
        this.arpCount = arpCount;
        this.announcements = announcements;
    }

    /**
     * Adds the address and announces it; throws with the command's words when the address is not up after. The
     * address is listed only when ip refuses the add (it is there already, or something is wrong): a takeover
     * waits for every program run here, and each costs tens of milliseconds on a busy host.
     */
    public void add(ResourceGroup.FloatingAddress a) throws FloatingIpException {
        CommandRunner.Result r = runner.run(List.of(ip, "addr", "add", a.address() + "/" + a.prefix(), "dev",
                a.iface()), timeout);
        if (!r.ok() && !present(a)) {
            throw new FloatingIpException("cannot add " + a + ": " + r.describe());
        }
        if (!a.address().contains(":")) {
            announce(a);
        }
    }

    /**
     * -U: unsolicited (gratuitous) ARP, updating every neighbour's cache. One arping per probe (each takes a
     * second), so a removal can stop the series between probes; the first leaves at once, the takeover goes on.
     */
    private void announce(ResourceGroup.FloatingAddress a) {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean previous = announcing.put(a.address(), stop);
        if (previous != null) {
            previous.set(true);
        }
        announcements.execute(() -> {
            for (int i = 0; i < arpCount && !stop.get(); i++) {
                CommandRunner.Result arp = runner.run(List.of(arping, "-U", "-c", "1", "-I", a.iface(),
                        a.address()), timeout);
                if (!arp.ok() && !arp.output().contains("Sent")) {
                    LOG.warn("gratuitous ARP for {} failed: {}", a, arp.describe());
                    break;
                }
            }
            announcing.remove(a.address(), stop);
        });
    }

    /**
     * Removes the address; an address that is not there is fine. As in {@link #add}, the address is listed only
     * when ip refuses: the initiators' pause in a switchover begins here.
     */
    public void remove(ResourceGroup.FloatingAddress a) throws FloatingIpException {
        AtomicBoolean stop = announcing.remove(a.address());
        if (stop != null) {
            stop.set(true);
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
