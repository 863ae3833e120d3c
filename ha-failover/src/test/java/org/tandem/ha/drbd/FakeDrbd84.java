package org.tandem.ha.drbd;

import org.tandem.ha.exec.CommandRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A test double for DRBD 8.4 behind drbdadm and drbdsetup: NOT DRBD, but a runner that answers the commands Drbd
 * runs as 8.4 with drbd-utils 9 does, and refuses what 8.4 refuses (a second Primary while connected to a Primary
 * peer, exit 11). Keeps one resource ({@code r0}, minors as given) and, when a proc path is given, writes its state
 * there as 8.4's /proc/drbd does, at the start and after every change of role or connection. Records every command run.
 */
final class FakeDrbd84 extends CommandRunner {
    final List<String> commands = new ArrayList<>();
    /** Commands (joined with spaces) that fail with exit 10 and a message, whatever the state. */
    final Set<String> failing = new HashSet<>();
    /** Commands (joined with spaces) that time out. */
    final Set<String> timingOut = new HashSet<>();
    String role = "Secondary";
    String peerRole = "Primary";
    String cstate = "Connected";
    String disk = "UpToDate";
    String peerDisk = "UpToDate";
    private final Path proc;
    private final List<Integer> minors;

    /** {@code proc}: where to write /proc/drbd (null: none, as on a host without DRBD). */
    FakeDrbd84(Path proc, Integer... minors) {
        this.proc = proc;
        this.minors = List.of(minors);
        writeProc();
    }

    @Override
    public Result run(List<String> command, Duration timeout) {
        String line = String.join(" ", command);
        commands.add(line);
        if (failing.contains(line)) {
            return new Result(command, 10, "fake: " + line + " fails here", 1);
        }
        if (timingOut.contains(line)) {
            return new Result(command, -1, "", 5000);
        }
        String tool = Path.of(command.get(0)).getFileName().toString();
        if (tool.equals("drbdsetup")) {
            return new Result(command, 20, "drbdsetup-84 status: unrecognized option '--json'", 1);
        }
        Result r = switch (command.get(1)) {
            case "sh-minor" -> ok(command, minors.stream().map(String::valueOf).reduce((a, b) -> a + "\n" + b)
                    .orElse("") + "\n");
            case "role" -> ok(command, role + "/" + peerRole + "\n");
            case "dstate" -> ok(command, disk + "/" + peerDisk + "\n");
            case "cstate" -> ok(command, cstate + "\n");
            case "primary" -> primary(command);
            case "secondary" -> {
                role = "Secondary";
                yield ok(command, "");
            }
            case "disconnect" -> {
                cstate = "StandAlone";
                peerRole = "Unknown";
                peerDisk = "DUnknown";
                yield ok(command, "");
            }
            case "connect" -> {
                cstate = "WFConnection";
                yield ok(command, "");
            }
            default -> new Result(command, 20, "fake: unsupported " + line, 1);
        };
        if (Set.of("primary", "secondary", "disconnect", "connect").contains(command.get(1))) {
            writeProc();
        }
        return r;
    }

    private Result primary(List<String> command) {
        if (!List.of("StandAlone", "WFConnection", "Unconnected").contains(cstate) && peerRole.equals("Primary")) {
            return new Result(command, 11, "0: State change failed: (-1) Multiple primaries not allowed by config\n"
                    + "Command 'drbdsetup-84 primary 0' terminated with exit code 11", 1);
        }
        role = "Primary";
        return ok(command, "");
    }

    private static Result ok(List<String> command, String output) {
        return new Result(command, 0, output, 1);
    }

    /**
     * Writes 8.4's /proc/drbd with every minor of r0 in the same state, after minor 9 of another resource. Tests
     * call it after setting the state fields themselves.
     */
    void writeProc() {
        if (proc == null) {
            return;
        }
        StringBuilder text = new StringBuilder("version: 8.4.11 (api:1/proto:86-101)\n srcversion: fake\n");
        text.append(" 9: cs:Connected ro:Secondary/Primary ds:UpToDate/UpToDate C r-----\n");
        for (int m : minors) {
            text.append(" ").append(m).append(": cs:").append(cstate).append(" ro:").append(role).append('/')
                    .append(peerRole).append(" ds:").append(disk).append('/').append(peerDisk).append(" C r-----\n")
                    .append("    ns:0 nr:0 dw:0 dr:0 al:0 bm:0 lo:0 pe:0 ua:0 ap:0 ep:1 wo:f oos:0\n");
        }
        try {
            Files.writeString(proc, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands run since the last call, then forgets them. */
    List<String> take() {
        List<String> all = List.copyOf(commands);
        commands.clear();
        return all;
    }
}
