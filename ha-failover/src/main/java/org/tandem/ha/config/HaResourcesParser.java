package org.tandem.ha.config;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads haresources as Heartbeat wrote it, one group a line, preferred node first, then its resources:
 * <pre>
 * storage1 group::db drbddisk::r0 iscsi-target::iqn.2026-11.org.example:db IPaddr::192.0.2.100/24/eth0
 * storage2 drbddisk::r1 LVM::vg_iscsi IPaddr::192.0.2.101 iscsitarget   # portal of the web LUNs
 * </pre>
 * A trailing backslash continues a line; {@code #} starts a comment, also after resources. A group without
 * {@code group::NAME} is named after its line ({@code group1}...). One group per node preferred gives
 * active/active sharing without dual-primary DRBD.
 *
 * <p>Heartbeat's forms are read with Heartbeat's meaning: a bare address is {@code IPaddr::ADDRESS};
 * {@code IPaddr2::} is {@code IPaddr::}; a prefix or interface left out is found in this node's routes (see
 * {@link AddressSpec}); IET's init script ({@code iscsitarget}, {@code iscsi-target} or {@code ietd} alone) started
 * every target of ietd.conf, so it stands for every target no other group names. Resources start in Tandem's fixed
 * order (DRBD, LVM, targets, addresses) whatever order the line lists them in. Scripts that make no sense for a
 * target are refused with why and what to write instead ({@link RefusedResources}).
 */
public final class HaResourcesParser {
    private static final Logger LOG = LogManager.getLogger(HaResourcesParser.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");
    /** LVM's rule for volume group names. */
    private static final Pattern VG_NAME = Pattern.compile("[A-Za-z0-9+_.-]+");
    private static final List<String> IET_INIT_SCRIPTS = List.of("iscsitarget", "iscsi-target", "ietd");
    private static final String ACCEPTED = "group::NAME, drbddisk::RES, LVM::VG, iscsi-target::IQN, iscsitarget"
            + " (every target no other group names), IPaddr::ADDRESS[/PREFIX[/IFACE]] (or IPaddr2::, or the bare"
            + " address)";
    /** Start order of the storage; a line listing a later kind before an earlier one is logged. */
    private static final List<String> STORAGE_ORDER = List.of("DRBD", "LVM", "targets");

    private HaResourcesParser() {
    }

    /** One group as read, before the bare {@code iscsitarget} is given its targets. */
    private record Pending(ResourceGroup group, int line) {
    }

    public static List<ResourceGroup> read(Path file, HaConfig cluster, ThisNode node) throws HaConfigException {
        try {
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8), cluster, node);
        } catch (IOException e) {
            throw new HaConfigException("cannot read " + file + ": " + e);
        }
    }

    /** As Tandem reads it knowing nothing of the node: addresses complete, targets named. */
    public static List<ResourceGroup> parse(Path file, List<String> lines, HaConfig cluster) throws HaConfigException {
        return parse(file, lines, cluster, ThisNode.UNKNOWN);
    }

    public static List<ResourceGroup> parse(Path file, List<String> lines, HaConfig cluster, ThisNode node)
            throws HaConfigException {
        lines = ConfigText.withoutByteOrderMark(file, lines);
        List<Pending> pending = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> targets = new HashSet<>();
        Set<String> drbd = new HashSet<>();
        Set<String> vgs = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        StringBuilder joined = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = withoutComment(lines.get(i)).stripTrailing();
            if (joined.isEmpty()) {
                start = i + 1;
            }
            if (raw.endsWith("\\")) {
                joined.append(raw, 0, raw.length() - 1).append(' ');
                continue;
            }
            joined.append(raw);
            String line = joined.toString().strip();
            joined.setLength(0);
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("\\s+");
            int n = start;
            String preferred = NodeName.of(w[0]); // as ha.cf's node lines are read: without case
            if (!cluster.nodes().contains(preferred)) {
                throw new HaConfigException(file, n, "the preferred node '" + w[0] + "' is not a node of ha.cf "
                        + cluster.nodes() + ": start the line with one of those names");
            }
            String name = "group" + (pending.size() + 1);
            List<String> groupDrbd = new ArrayList<>();
            List<String> groupVgs = new ArrayList<>();
            List<String> groupTargets = new ArrayList<>();
            List<ResourceGroup.FloatingAddress> groupAddresses = new ArrayList<>();
            boolean unnamed = false;
            List<String> written = new ArrayList<>();
            for (int k = 1; k < w.length; k++) {
                String token = w[k];
                int sep = token.indexOf("::");
                String kind = sep < 0 ? token : token.substring(0, sep);
                String value = sep < 0 ? "" : token.substring(sep + 2);
                if (AddressSpec.looksLikeAddress(token)) {
                    kind = "IPaddr"; // Heartbeat's shorthand: a bare address is IPaddr::ADDRESS
                    value = token;
                }
                switch (kind) {
                    case "group" -> {
                        if (!NAME.matcher(value).matches()) {
                            throw new HaConfigException(file, n, "group name '" + value + "' may hold letters,"
                                    + " digits and . _ : - only (write group::NAME)");
                        }
                        name = value;
                    }
                    case "drbddisk" -> {
                        if (value.isEmpty()) {
                            // Heartbeat's drbddisk alone means "all": every resource of drbd.conf, the peer's
                            // group's ones too in active/active, and no single resource Tandem could verify.
                            throw new HaConfigException(file, n, "drbddisk without a resource would mean every DRBD"
                                    + " resource (Heartbeat's 'all'), including those of groups that run on the peer;"
                                    + " name the group's resources: drbddisk::r0 drbddisk::r1 ...");
                        }
                        unique(file, n, drbd, value, "DRBD resource", groupDrbd);
                        written.add("DRBD");
                    }
                    case "LVM" -> {
                        if (!VG_NAME.matcher(value).matches()) {
                            throw new HaConfigException(file, n, "expected LVM::VOLUME_GROUP (letters, digits and"
                                    + " + _ . -), got '" + token + "'");
                        }
                        unique(file, n, vgs, value, "volume group", groupVgs);
                        written.add("LVM");
                    }
                    case "iscsi-target", "iscsitarget", "ietd" -> {
                        if (value.isEmpty()) {
                            unnamed = true;
                        } else if (!kind.equals("iscsi-target")) {
                            throw new HaConfigException(file, n, kind + " is IET's init script and takes no"
                                    + " argument: write '" + kind + "' alone for every target no other group names,"
                                    + " or iscsi-target::" + value + " for one target");
                        } else {
                            // iSCSI names ignore case: one target written in two cases is one target, and it
                            // takes ietd.conf's spelling so that every later comparison finds it.
                            String target = node.ietdTargets().stream().filter(value::equalsIgnoreCase).findFirst()
                                    .orElse(value);
                            if (node.targetsKnown() && !node.ietdTargets().contains(target)) {
                                throw new HaConfigException(file, n, "target " + value + " is not defined in"
                                        + " ietd.conf (its targets: " + node.ietdTargets() + "): correct the name,"
                                        + " or add a Target stanza for it to ietd.conf on both nodes");
                            }
                            if (!targets.add(target.toLowerCase(Locale.ROOT))) {
                                throw new HaConfigException(file, n, "target " + value + " is in two groups (iSCSI"
                                        + " names ignore case); a resource belongs to one group (remove it from one"
                                        + " of the lines)");
                            }
                            groupTargets.add(target);
                        }
                        written.add("targets");
                    }
                    case "IPaddr", "IPaddr2" -> {
                        ResourceGroup.FloatingAddress a = AddressSpec.parse(file, n, kind, value).resolve(file, n,
                                node.routes());
                        if (!addresses.add(a.address())) {
                            throw new HaConfigException(file, n, "address " + a.address() + " is in two groups;"
                                    + " give each portal address to one group");
                        }
                        groupAddresses.add(a);
                        written.add("addresses");
                    }
                    default -> throw new HaConfigException(file, n, RefusedResources.why(kind)
                            .orElse("unknown resource '" + token + "'; Tandem accepts " + ACCEPTED));
                }
            }
            if (!names.add(name)) {
                throw new HaConfigException(file, n, "group " + name + " is defined twice; give each line its own"
                        + " group::NAME");
            }
            logIfReordered(file, n, name, written);
            pending.add(new Pending(new ResourceGroup(name, preferred, groupDrbd, groupVgs, groupTargets,
                    groupAddresses, unnamed), n));
        }
        if (!joined.isEmpty()) {
            throw new HaConfigException(file, start, "line continued with '\\' at the end of the file; remove the"
                    + " backslash");
        }
        if (pending.isEmpty()) {
            throw new HaConfigException(file + ": no resource group; write one line per group, e.g. 'NODE"
                    + " drbddisk::r0 iscsi-target::IQN IPaddr::ADDRESS/PREFIX/IFACE'");
        }
        return withUnnamedTargets(file, pending, targets, node.ietdTargets());
    }

    /**
     * Gives the group written with IET's init script the ietd.conf targets no other group names, and checks that
     * every group ends up with a target. Only one group may take the unnamed ones: two could not both have them.
     */
    private static List<ResourceGroup> withUnnamedTargets(Path file, List<Pending> pending, Set<String> named,
                                                          List<String> ietdTargets) throws HaConfigException {
        Pending taker = null;
        List<ResourceGroup> groups = new ArrayList<>();
        for (Pending p : pending) {
            ResourceGroup g = p.group();
            if (g.everyUnnamedTarget()) {
                if (taker != null) {
                    throw new HaConfigException(file, p.line(), "group " + g.name() + " uses iscsitarget (every"
                            + " target of ietd.conf no other group names), as group " + taker.group().name()
                            + " on line " + taker.line() + " does already; only one group can have them: name this"
                            + " group's targets with iscsi-target::IQN");
                }
                taker = p;
                Set<String> all = new LinkedHashSet<>(g.targets());
                ietdTargets.stream().filter(t -> !named.contains(t.toLowerCase(Locale.ROOT))).forEach(all::add);
                g = new ResourceGroup(g.name(), g.preferredNode(), g.drbdResources(), g.volumeGroups(),
                        List.copyOf(all), g.addresses(), true);
                if (!g.targets().isEmpty()) {
                    LOG.info("{}:{}: iscsitarget (IET's init script, which started every target of ietd.conf):"
                            + " Tandem gives group {} the {} target(s) of ietd.conf no other group names: {}; a target"
                            + " added later by a reload stays in standby on both nodes until the daemons restart",
                            file, p.line(), g.name(), g.targets().size(), g.targets());
                }
            }
            if (g.targets().isEmpty()) {
                throw new HaConfigException(file, p.line(), "group " + g.name() + " holds no target"
                        + (g.everyUnnamedTarget() ? ": every target of ietd.conf is named by another group" : "")
                        + "; add iscsi-target::IQN naming a target of ietd.conf");
            }
            groups.add(g);
        }
        return List.copyOf(groups);
    }

    /**
     * One line when the written order puts storage after what needs it (LVM before DRBD, targets before either):
     * Heartbeat would have started them so, on a Secondary device; Tandem does not. Where the addresses stand
     * changes nothing that matters (an initiator that connects before its target answers is refused and retries),
     * so it is not mentioned.
     */
    private static void logIfReordered(Path file, int n, String group, List<String> written) {
        List<String> storageOrder = written.stream().filter(STORAGE_ORDER::contains).distinct().toList();
        List<String> tandem = STORAGE_ORDER.stream().filter(storageOrder::contains).toList();
        if (!storageOrder.equals(tandem)) {
            LOG.warn("{}:{}: group {} lists its storage in the order {}; Tandem starts it in the order {}, then the"
                    + " addresses, and releases in reverse, so that no target answers before its storage is Primary"
                    + " and active", file, n, group, storageOrder, tandem);
        }
    }

    /** The line up to a {@code #} that starts a word: IQNs, addresses and names never hold one. */
    private static String withoutComment(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '#' && (i == 0 || Character.isWhitespace(raw.charAt(i - 1)))) {
                return raw.substring(0, i);
            }
        }
        return raw;
    }

    private static void unique(Path file, int n, Set<String> seen, String value, String what, List<String> into)
            throws HaConfigException {
        if (!seen.add(value)) {
            throw new HaConfigException(file, n, what + " " + value + " is in two groups; a resource belongs to one"
                    + " group (remove it from one of the lines)");
        }
        into.add(value);
    }
}
