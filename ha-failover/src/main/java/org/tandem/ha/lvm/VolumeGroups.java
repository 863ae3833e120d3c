package org.tandem.ha.lvm;

import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Activates and deactivates a volume group as Heartbeat's LVM script did ({@code vgchange -a y VG},
 * {@code vgchange -a n VG}), then checks the result: every logical volume active after activation, none after
 * deactivation, read from the fifth character of {@code lvs -o lv_attr} ('a' when active). A command that fails
 * while the volume group is already as wanted is success, as a retried start or stop should be.
 */
public final class VolumeGroups {
    private static final String HINT = " (with LVM on DRBD, lvm.conf's filter must accept /dev/drbd* and reject"
            + " DRBD's backing disk, or LVM finds the volume group on the wrong device)";

    private final CommandRunner runner;
    private final String vgchange;
    private final String lvs;
    private final Duration timeout;

    public VolumeGroups(CommandRunner runner, String vgchange, String lvs, Duration timeout) {
        this.runner = runner;
        this.vgchange = vgchange;
        this.lvs = lvs;
        this.timeout = timeout;
    }

    /**
     * A logical volume: whether it is active here ('a', fifth lv_attr character), whether a device-mapper device of
     * it exists here at all (anything but '-': also suspended 's', mapped without or with an inactive table 'd', 'i'),
     * and whether LVM skips it on activation ('k', tenth character: thin snapshots by default, which
     * {@code vgchange -a y} leaves inactive).
     */
    public record LogicalVolume(String name, boolean active, boolean mapped, boolean activationSkipped) {
    }

    public void activate(String vg) throws LvmException {
        CommandRunner.Result r = runner.run(List.of(vgchange, "-a", "y", vg), timeout);
        List<LogicalVolume> all = volumesAfter(vg, r, "activate");
        List<String> inactive = all.stream().filter(v -> !v.active() && !v.activationSkipped())
                .map(LogicalVolume::name).toList();
        if (!inactive.isEmpty() || !r.ok() && all.isEmpty()) {
            throw new LvmException("cannot activate volume group " + vg + ": " + r.describe()
                    + (inactive.isEmpty() ? "" : "; still inactive: " + inactive) + HINT);
        }
    }

    public void deactivate(String vg) throws LvmException {
        CommandRunner.Result r = runner.run(List.of(vgchange, "-a", "n", vg), timeout);
        List<String> active = volumesAfter(vg, r, "deactivate").stream().filter(LogicalVolume::mapped)
                .map(LogicalVolume::name).toList();
        if (!active.isEmpty()) {
            throw new LvmException("cannot deactivate volume group " + vg + ": " + r.describe() + "; still active: "
                    + active + " (a logical volume held open cannot be deactivated)");
        }
    }

    private List<LogicalVolume> volumesAfter(String vg, CommandRunner.Result change, String what)
            throws LvmException {
        try {
            return volumes(vg);
        } catch (LvmException e) {
            throw new LvmException("cannot " + what + " volume group " + vg + ": " + change.describe() + "; "
                    + e.getMessage() + HINT);
        }
    }

    /** The volume group's logical volumes; a volume group LVM does not know is an error naming the command. */
    public List<LogicalVolume> volumes(String vg) throws LvmException {
        CommandRunner.Result r = runner.run(List.of(lvs, "--noheadings", "-o", "lv_name,lv_attr", vg), timeout);
        if (!r.ok()) {
            throw new LvmException("cannot list the logical volumes of " + vg + ": " + r.describe());
        }
        return parse(r.output());
    }

    /** {@code lvs --noheadings -o lv_name,lv_attr} output: "  data -wi-a-----" per volume. */
    static List<LogicalVolume> parse(String output) {
        List<LogicalVolume> all = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] w = line.strip().split("\\s+");
            if (w.length == 2 && w[1].length() >= 5) {
                all.add(new LogicalVolume(w[0], w[1].charAt(4) == 'a', w[1].charAt(4) != '-',
                        w[1].length() >= 10 && w[1].charAt(9) == 'k'));
            }
        }
        return all;
    }
}
