package org.tandem.ha.fencing;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.ha.config.Fencing;
import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the configured fencing command with the peer's node name appended, as Heartbeat runs an external STONITH
 * plugin: exit 0 means the peer is off; anything else (or running past the time limit) means it may still be
 * writing, and the caller must not take over. With {@code fencing none} nothing runs and the answer is "assumed
 * off", logged as the risk it is.
 */
public final class Fencer {
    private static final Logger LOG = LogManager.getLogger(Fencer.class);

    private final Fencing fencing;
    private final CommandRunner runner;
    private final Duration timeout;

    /** The outcome of one attempt. */
    public record Outcome(boolean fenced, String detail, long millis) {
    }

    public Fencer(Fencing fencing, CommandRunner runner, Duration timeout) {
        this.fencing = fencing;
        this.runner = runner;
        this.timeout = timeout;
    }

    public Outcome fence(String peer) {
        if (!fencing.configured()) {
            LOG.warn("fencing none: assuming {} is off without checking (split brain possible)", peer);
            return new Outcome(true, "fencing none: not checked", 0);
        }
        List<String> command = new ArrayList<>(fencing.command());
        command.add(peer);
        CommandRunner.Result r = runner.run(command, timeout);
        if (r.ok()) {
            LOG.info("fenced {}: {}", peer, r.describe());
        } else {
            LOG.error("fencing {} failed: {}; not taking over", peer, r.describe());
        }
        return new Outcome(r.ok(), r.describe(), r.millis());
    }
}
