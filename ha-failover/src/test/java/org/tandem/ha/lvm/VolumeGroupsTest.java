package org.tandem.ha.lvm;

import org.junit.jupiter.api.Test;
import org.tandem.ha.exec.CommandRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** vgchange, then lvs to check: a fake LVM that answers as the real tools print. */
class VolumeGroupsTest {
    /** Answers vgchange with {@code change}, lvs with {@code lvs}; records the commands. */
    private static final class FakeLvm extends CommandRunner {
        final List<String> commands = new ArrayList<>();
        Result change = ok("  1 logical volume(s) in volume group \"vg_iscsi\" now active");
        Result lvs = ok("  lun0 -wi-a-----\n  lun1 -wi-a-----\n");

        private static Result ok(String output) {
            return new Result(List.of(), 0, output, 1);
        }

        @Override
        public Result run(List<String> command, Duration timeout) {
            commands.add(String.join(" ", command));
            Result r = command.get(0).equals("vgchange") ? change : lvs;
            return new Result(command, r.exit(), r.output(), 1);
        }
    }

    private final FakeLvm lvm = new FakeLvm();
    private final VolumeGroups groups = new VolumeGroups(lvm, "vgchange", "lvs", Duration.ofSeconds(5));

    @Test
    void activationAsHeartbeatsLvmScriptThenEveryVolumeChecked() throws Exception {
        groups.activate("vg_iscsi");
        assertThat(lvm.commands).containsExactly("vgchange -a y vg_iscsi",
                "lvs --noheadings -o lv_name,lv_attr vg_iscsi");
    }

    @Test
    void aVolumeStillInactiveFailsTheActivationNamingIt() {
        lvm.lvs = FakeLvm.ok("  lun0 -wi-a-----\n  lun1 -wi-------\n");
        assertThatThrownBy(() -> groups.activate("vg_iscsi")).isInstanceOf(LvmException.class)
                .hasMessageContaining("still inactive: [lun1]").hasMessageContaining("/dev/drbd*");
    }

    @Test
    void aVolumeGroupLvmDoesNotFindFailsWithTheFilterHint() {
        lvm.change = new CommandRunner.Result(List.of(), 5, "  Volume group \"vg_iscsi\" not found", 1);
        lvm.lvs = lvm.change;
        assertThatThrownBy(() -> groups.activate("vg_iscsi")).hasMessageContaining("not found")
                .hasMessageContaining("lvm.conf's filter");
    }

    @Test
    void aFailedVgchangeWithEveryVolumeActiveIsSuccess() throws Exception {
        lvm.change = new CommandRunner.Result(List.of(), 5, "some warning", 1);
        groups.activate("vg_iscsi");
        assertThat(lvm.commands).hasSize(2);
    }

    @Test
    void deactivationIsCheckedToo() throws Exception {
        lvm.lvs = FakeLvm.ok("  lun0 -wi-------\n  lun1 -wi-------\n");
        groups.deactivate("vg_iscsi");
        assertThat(lvm.commands).first().isEqualTo("vgchange -a n vg_iscsi");
        lvm.lvs = FakeLvm.ok("  lun0 -wi-ao----\n  lun1 -wi-------\n");
        lvm.change = new CommandRunner.Result(List.of(), 5, "Logical volume vg_iscsi/lun0 in use.", 1);
        assertThatThrownBy(() -> groups.deactivate("vg_iscsi")).hasMessageContaining("still active: [lun0]")
                .hasMessageContaining("in use");
    }

    @Test
    void lvsOutputIsReadByTheFifthAttributeCharacter() {
        assertThat(VolumeGroups.parse("  data -wi-a-----\n  snap swi-I-s---\n\n"))
                .containsExactly(new VolumeGroups.LogicalVolume("data", true, true, false),
                        new VolumeGroups.LogicalVolume("snap", false, true, false)); // 'I': an invalid snapshot, mapped
    }

    @Test
    void aThinSnapshotThatLvmSkipsOnActivationDoesNotFailTheStart() throws Exception {
        // thin snapshots carry the activation-skip flag ('k', tenth attribute) by default: vgchange -a y leaves them
        lvm.lvs = FakeLvm.ok("  pool  twi-aotz--\n  lun0  Vwi-a-tz--\n  snap0 Vwi---tz-k\n");
        groups.activate("vg_iscsi");
    }

    @Test
    void aVolumeStillMappedButNotActiveFailsTheDeactivation() {
        // 's' suspended, 'd'/'i' a mapped device: the device is still there, so the peer must not activate the group
        for (String attr : List.of("-wi-s-----", "-wi-d-----", "-wi-i-----")) {
            lvm.lvs = FakeLvm.ok("  lun0 -wi-------\n  lun1 " + attr + "\n");
            assertThatThrownBy(() -> groups.deactivate("vg_iscsi")).as(attr).isInstanceOf(LvmException.class)
                    .hasMessageContaining("still active: [lun1]");
        }
    }
}
