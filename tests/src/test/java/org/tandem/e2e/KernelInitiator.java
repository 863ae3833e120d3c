package org.tandem.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Linux kernel's iSCSI initiator (iscsi_tcp, driven by open-iscsi's iscsid, iscsiadm and iscsistart) in a
 * {@link UmlGuest}. Every method runs shell commands in the guest; failures come back as results or as AssertJ
 * failures that carry the guest's output, the kernel's last messages and iscsid's log.
 */
final class KernelInitiator {
    /** This initiator's iSCSI name (written to the guest's /etc/iscsi/initiatorname.iscsi). */
    static final String NAME = "iqn.2026-11.org.tandem.test:kernel-initiator";

    private static final Pattern SESSION = Pattern.compile("^tcp: \\[(\\d+)\\] (\\S+),\\d+ (\\S+)", Pattern.MULTILINE);

    private final UmlGuest guest;

    KernelInitiator(UmlGuest guest) {
        this.guest = guest;
    }

    UmlGuest guest() {
        return guest;
    }

    /**
     * Loads the initiator's modules, names the initiator, writes an iscsid.conf and starts iscsid.
     */
    void start() {
        // iscsistart and iscsiadm read the same iscsid.conf; the host's would start iscsid through systemd.
        ok(60, """
                modprobe iscsi_tcp && modprobe sd_mod && modprobe sg || exit 1
                echo InitiatorName=%s > /etc/iscsi/initiatorname.iscsi
                cat > /etc/iscsi/iscsid.conf <<'CONF'
                iscsid.startup = /bin/true
                node.startup = manual
                node.session.timeo.replacement_timeout = 120
                node.conn[0].timeo.login_timeout = 15
                node.conn[0].timeo.logout_timeout = 15
                node.conn[0].timeo.noop_out_interval = 5
                node.conn[0].timeo.noop_out_timeout = 10
                node.session.err_timeo.abort_timeout = 15
                node.session.err_timeo.lu_reset_timeout = 30
                node.session.err_timeo.tgt_reset_timeout = 30
                node.session.initial_login_retry_max = 2
                node.session.cmds_max = 128
                node.session.queue_depth = 32
                node.session.iscsi.InitialR2T = No
                node.session.iscsi.ImmediateData = Yes
                node.session.iscsi.FirstBurstLength = 262144
                node.session.iscsi.MaxBurstLength = 16776192
                node.conn[0].iscsi.MaxRecvDataSegmentLength = 262144
                node.conn[0].iscsi.MaxXmitDataSegmentLength = 0
                discovery.sendtargets.iscsi.MaxRecvDataSegmentLength = 32768
                node.session.scan = auto
                CONF
                """.formatted(NAME));
        startIscsid();
    }

    /**
     * Starts iscsid in the foreground of a session of its own (the agent's time limit must not reach it), logging
     * to /run/iscsid.log, and waits up to 10 s for its control socket. A running iscsid adopts the sessions it
     * finds in the kernel, as it does after a boot that logged in with iscsistart.
     */
    void startIscsid() {
        ok(30, """
                setsid iscsid -f >> /run/iscsid.log 2>&1 < /dev/null &
                echo $! > /run/iscsid.pid
                # iscsid is ready when its control socket (an abstract Unix socket) exists.
                for i in $(seq 100); do grep -q ISCSIADM_ABSTRACT_NAMESPACE /proc/net/unix && exit 0; sleep 0.1; done
                echo "iscsid does not answer"; exit 1
                """);
    }

    /** Stops iscsid (by its pid) and waits up to 10 s for it to end; the kernel's sessions stay. */
    void stopIscsid() {
        ok(30, """
                pid=$(cat /run/iscsid.pid)
                kill $pid
                for i in $(seq 100); do kill -0 $pid 2>/dev/null || exit 0; sleep 0.1; done
                echo "iscsid did not stop"; exit 1
                """);
    }

    /** Runs a script in the guest, bounded in time. */
    Tools.Result run(int timeoutSeconds, String script) {
        return guest.run(timeoutSeconds, script);
    }

    /** Runs a script and fails the test, with the guest's diagnostics, unless it exits 0; returns its output. */
    String ok(int timeoutSeconds, String script) {
        Tools.Result r = guest.run(timeoutSeconds, script);
        assertThat(r.exit()).as("in guest " + guest.name() + ":\n" + script + "\n--- output:\n" + r.output()
                + "\n--- " + diagnostics()).isZero();
        return r.output();
    }

    /** The kernel's last messages and iscsid's log, for a failure's message. */
    String diagnostics() {
        return guest.run(20, "echo '--- dmesg:'; dmesg | tail -25; echo '--- iscsid:'; tail -25 /run/iscsid.log")
                .output();
    }

    /**
     * SendTargets discovery through iscsiadm, with discovery CHAP when {@code user} is not null (and mutual
     * CHAP when {@code userIn} is not null too).
     *
     * @return iscsiadm's exit status and output
     */
    Tools.Result discover(String portal, String user, String secret, String userIn, String secretIn) {
        StringBuilder s = new StringBuilder();
        s.append("iscsiadm -m discoverydb -t sendtargets -p ").append(portal).append(" -o delete >/dev/null 2>&1\n");
        s.append("iscsiadm -m discoverydb -t sendtargets -p ").append(portal).append(" -o new >/dev/null || exit 1\n");
        Map<String, String> auth = new LinkedHashMap<>();
        if (user != null) {
            auth.put("discovery.sendtargets.auth.authmethod", "CHAP");
            auth.put("discovery.sendtargets.auth.username", user);
            auth.put("discovery.sendtargets.auth.password", secret);
            if (userIn != null) {
                auth.put("discovery.sendtargets.auth.username_in", userIn);
                auth.put("discovery.sendtargets.auth.password_in", secretIn);
            }
        }
        auth.forEach((k, v) -> s.append("iscsiadm -m discoverydb -t sendtargets -p ").append(portal)
                .append(" -o update -n ").append(k).append(" -v '").append(v).append("' || exit 1\n"));
        s.append("iscsiadm -m discoverydb -t sendtargets -p ").append(portal).append(" --discover\n");
        return guest.run(60, s.toString());
    }

    /** The target names a discovery's output lists, in order. */
    static List<String> discoveredTargets(String output) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("^\\S+:\\d+,\\d+ (\\S+)$", Pattern.MULTILINE).matcher(output);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Creates (or replaces) the node record of {@code target} at {@code portal}, applies {@code settings}
     * ({@code node.*} keys) and logs in through iscsid.
     *
     * @return iscsiadm's exit status and output of the login
     */
    Tools.Result login(String target, String portal, Map<String, String> settings) {
        String node = "iscsiadm -m node -T " + target + " -p " + portal;
        StringBuilder s = new StringBuilder();
        s.append(node).append(" -o delete >/dev/null 2>&1\n");
        s.append(node).append(" -o new >/dev/null || exit 1\n");
        settings.forEach((k, v) -> s.append(node).append(" -o update -n '").append(k).append("' -v '").append(v)
                .append("' || exit 1\n"));
        s.append(node).append(" --login\n");
        return guest.run(90, s.toString());
    }

    /**
     * Logs in with iscsistart, open-iscsi's boot-time tool (no node database, no iscsid needed), with CHAP and
     * mutual CHAP when the names are not null and {@code digests} CRC32C when true.
     *
     * @return iscsistart's exit status and output
     */
    Tools.Result iscsistart(String target, String address, String user, String secret, String userIn,
                            String secretIn, boolean digests) {
        StringBuilder s = new StringBuilder("iscsistart -i " + NAME + " -t " + target + " -g 1 -a " + address
                + " -p 3260");
        if (user != null) {
            s.append(" -u ").append(user).append(" -w ").append(secret);
        }
        if (userIn != null) {
            s.append(" -U ").append(userIn).append(" -W ").append(secretIn);
        }
        if (digests) {
            s.append(" -P node.conn[0].iscsi.HeaderDigest=CRC32C -P node.conn[0].iscsi.DataDigest=CRC32C");
        }
        return guest.run(90, s.toString());
    }

    /** The sessions iscsiadm lists: session id to target name (empty when there are none). */
    Map<Integer, String> sessions() {
        Map<Integer, String> all = new LinkedHashMap<>();
        Matcher m = SESSION.matcher(guest.run(20, "iscsiadm -m session").output());
        while (m.find()) {
            all.put(Integer.parseInt(m.group(1)), m.group(3));
        }
        return all;
    }

    /** The id of the one session logged in to {@code target}; fails the test when there is none. */
    int sessionOf(String target) {
        return sessions().entrySet().stream().filter(e -> e.getValue().equals(target)).mapToInt(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("no session to " + target + "; "
                        + diagnostics()));
    }

    /**
     * The block device ({@code /dev/sdX}) of LUN 0 of session {@code sid}, read from sysfs, waiting up to 30 s
     * for the kernel's scan to attach it.
     */
    String disk(int sid) {
        String out = ok(40, """
                for i in $(seq 300); do
                  for b in /sys/class/iscsi_session/session%d/device/target*/*:0/block/*; do
                    if [ -e "$b" ] && [ -b /dev/$(basename $b) ]; then echo /dev/$(basename $b); exit 0; fi
                  done
                  sleep 0.1
                done
                echo "no disk for session %d"; exit 1
                """.formatted(sid, sid)).strip();
        return out.lines().reduce((a, b) -> b).orElseThrow();
    }

    /** The SCSI generic device ({@code /dev/sgN}) of a block device such as {@code /dev/sdb}. */
    String genericOf(String disk) {
        String name = disk.substring(disk.lastIndexOf('/') + 1);
        return "/dev/" + ok(10, "ls /sys/block/" + name + "/device/scsi_generic/").strip();
    }

    /** Logs out of every session and forgets every node and discovery record; the next test starts clean. */
    void logoutAll() {
        // Each iscsiadm costs about 0.3 s in the guest; the records are plain files in the guest's own overlay.
        guest.run(60, "iscsiadm -m session -u >/dev/null 2>&1; rm -rf /etc/iscsi/nodes /etc/iscsi/send_targets; "
                + "true");
    }

    /**
     * Writes {@code mib} MiB of fresh random data to {@code disk} at {@code offsetMib} with O_DIRECT, reads it back
     * with O_DIRECT and returns the SHA-256 of what was written after checking the read-back has the same.
     */
    String writeAndVerify(String disk, int offsetMib, int mib) {
        String out = ok(240, """
                set -e
                head -c %dM /dev/urandom > /run/pattern
                written=$(sha256sum < /run/pattern | cut -d' ' -f1)
                dd if=/run/pattern of=%s bs=1M seek=%d count=%d oflag=direct status=none
                rm /run/pattern
                read=$(dd if=%s bs=1M skip=%d count=%d iflag=direct status=none | sha256sum | cut -d' ' -f1)
                echo "written $written read $read"
                """.formatted(mib, disk, offsetMib, mib, disk, offsetMib, mib));
        Matcher m = Pattern.compile("written (\\w+) read (\\w+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(m.group(2)).as("SHA-256 of the %d MiB read back from %s", mib, disk).isEqualTo(m.group(1));
        return m.group(1);
    }

    /** The SHA-256 of {@code mib} MiB of {@code disk} at {@code offsetMib}, read with O_DIRECT. */
    String checksum(String disk, int offsetMib, int mib) {
        return ok(120, "dd if=%s bs=1M skip=%d count=%d iflag=direct status=none | sha256sum | cut -d' ' -f1"
                .formatted(disk, offsetMib, mib)).strip();
    }
}
