package org.tandem.ha.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each single-valued ha.cf setting was last given: to warn, naming both lines, when a line gives it again,
 * and to name the line (or the default) when a whole-file timing check fails.
 */
final class GivenSettings {
    /** HaCfParser's logger: the log lines name the class that reads ha.cf, as they did before the split. */
    private static final Logger LOG = LogManager.getLogger(HaCfParser.class);

    private final Path file;
    /** Keyed by setting. */
    private final Map<String, Given> given = new HashMap<>();

    /** A line that gave a setting: its number and its words, as the warning about a repeat quotes them. */
    private record Given(int line, String text) {
    }

    GivenSettings(Path file) {
        this.file = file;
    }

    /** {@link #single(int, String, String, List, Object)} for a setting named as its directive. */
    <T> T single(int n, String directive, List<String> args, T value) {
        return single(n, directive, directive, args, value);
    }

    /**
     * A single-valued setting given on line {@code n}. When a line gives it again, Heartbeat's config.c just sets the
     * value again, so the last line counts; Tandem keeps that meaning (a Heartbeat ha.cf works unchanged) and warns,
     * naming both lines, since one of them is surely a leftover.
     */
    <T> T single(int n, String setting, String directive, List<String> args, T value) {
        String text = directive + (args.isEmpty() ? "" : " " + String.join(" ", args));
        Given before = given.put(setting, new Given(n, text));
        if (before != null) {
            LOG.warn("{}:{}: '{}' repeats '{}' of line {}: as in Heartbeat the last line counts, so line {} is used;"
                    + " remove the other line", file, n, text, before.text(), before.line(), n);
        }
        return value;
    }

    /** A timing as the whole-file checks name it: its value, and its line, or where the value came from. */
    private String timing(String directive, Duration value, String otherwise) {
        Given g = given.get(directive);
        return directive + " (" + value.toMillis() + " ms, " + (g != null ? "line " + g.line() : otherwise) + ")";
    }

    /** " on line N" when the file sets {@code directive}, else nothing (its default holds). */
    private String where(String directive) {
        Given g = given.get(directive);
        return g != null ? " on line " + g.line() : "";
    }

    /**
     * A whole-file timing check failed: reported at the line of the first of {@code directives} (those involved,
     * and those their defaults derive from) that the file sets, else at the file.
     */
    private HaConfigException timingError(String message, String... directives) {
        for (String d : directives) {
            Given g = given.get(d);
            if (g != null) {
                return new HaConfigException(file, g.line(), message);
            }
        }
        return new HaConfigException(file + ": " + message);
    }

    /**
     * The whole-file timing rules: keepalive above zero and below warntime, warntime at most deadtime, deadtime at
     * least twice keepalive (or one lost packet kills a node), initdead at least deadtime. {@code warn} and
     * {@code init} are the values in force, the file's or their defaults (derived from deadtime).
     *
     * @throws HaConfigException at the line of the first setting involved that the file gives, else at the file
     */
    void checkTimings(Duration keepalive, Duration warn, Duration deadtime, Duration init) throws HaConfigException {
        String k = timing("keepalive", keepalive, "the default");
        String w = timing("warntime", warn, "by default half of deadtime" + where("deadtime"));
        String d = timing("deadtime", deadtime, "the default");
        if (keepalive.isZero() || keepalive.compareTo(warn) >= 0) {
            throw timingError(k + " must be above zero and below " + w + ": lower keepalive or raise warntime",
                    "keepalive", "warntime", "deadtime");
        }
        if (warn.compareTo(deadtime) > 0) {
            throw timingError(w + " must not exceed " + d + ": lower warntime or raise deadtime", "warntime",
                    "deadtime");
        }
        if (deadtime.compareTo(keepalive.multipliedBy(2)) < 0) {
            throw timingError(d + " must be at least twice " + k + ", or one lost packet kills a node: raise"
                    + " deadtime or lower keepalive", "deadtime", "keepalive");
        }
        if (init.compareTo(deadtime) < 0) {
            throw timingError(timing("initdead", init, "by default twice deadtime" + where("deadtime"))
                    + " must not be below " + d + ": raise initdead", "initdead", "deadtime");
        }
    }
}
