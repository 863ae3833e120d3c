package org.tandem.ha.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads haresources as Heartbeat wrote it, one group a line, preferred node first, then its resources:
 * <pre>
 * storage1 group::db drbddisk::r0 iscsi-target::iqn.2026-11.org.example:db IPaddr::192.0.2.100/24/eth0
 * storage2 group::web drbddisk::r1 iscsi-target::iqn.2026-11.org.example:web IPaddr::192.0.2.101/24/eth0
 * </pre>
 * {@code IPaddr2::} is read as {@code IPaddr::}; a trailing backslash continues a line. A group without
 * {@code group::NAME} is named after its line ({@code group1}...). One group per node preferred gives
 * active/active sharing without dual-primary DRBD.
 */
public final class HaResourcesParser {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    private HaResourcesParser() {
    }

    public static List<ResourceGroup> read(Path file, HaConfig cluster) throws HaConfigException {
        try {
            return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8), cluster);
        } catch (IOException e) {
            throw new HaConfigException("cannot read " + file + ": " + e);
        }
    }

    public static List<ResourceGroup> parse(Path file, List<String> lines, HaConfig cluster) throws HaConfigException {
        List<ResourceGroup> groups = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> targets = new HashSet<>();
        Set<String> drbd = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        StringBuilder joined = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i);
            if (joined.isEmpty()) {
                start = i + 1;
                if (raw.strip().startsWith("#")) {
                    continue;
                }
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
            String node = w[0];
            if (!cluster.nodes().contains(node)) {
                throw new HaConfigException(file, n, "the preferred node '" + node + "' is not a node of ha.cf "
                        + cluster.nodes());
            }
            String name = "group" + (groups.size() + 1);
            List<String> groupDrbd = new ArrayList<>();
            List<String> groupTargets = new ArrayList<>();
            List<ResourceGroup.FloatingAddress> groupAddresses = new ArrayList<>();
            for (int k = 1; k < w.length; k++) {
                int sep = w[k].indexOf("::");
                String kind = sep < 0 ? w[k] : w[k].substring(0, sep);
                String value = sep < 0 ? "" : w[k].substring(sep + 2);
                if (value.isEmpty()) {
                    throw new HaConfigException(file, n, "expected KIND::VALUE, got '" + w[k] + "' (kinds: group,"
                            + " drbddisk, iscsi-target, IPaddr)");
                }
                switch (kind) {
                    case "group" -> {
                        if (!NAME.matcher(value).matches()) {
                            throw new HaConfigException(file, n, "group name '" + value + "' may hold letters,"
                                    + " digits and . _ : - only");
                        }
                        name = value;
                    }
                    case "drbddisk" -> unique(file, n, drbd, value, "DRBD resource", groupDrbd);
                    case "iscsi-target" -> unique(file, n, targets, value, "target", groupTargets);
                    case "IPaddr", "IPaddr2" -> {
                        ResourceGroup.FloatingAddress a = address(file, n, value);
                        if (!addresses.add(a.address())) {
                            throw new HaConfigException(file, n, "address " + a.address() + " is in two groups");
                        }
                        groupAddresses.add(a);
                    }
                    default -> throw new HaConfigException(file, n, "unknown resource kind '" + kind + "' (expected"
                            + " group, drbddisk, iscsi-target or IPaddr)");
                }
            }
            if (groupTargets.isEmpty()) {
                throw new HaConfigException(file, n, "group " + name + " holds no iscsi-target::NAME");
            }
            if (!names.add(name)) {
                throw new HaConfigException(file, n, "group " + name + " is defined twice");
            }
            groups.add(new ResourceGroup(name, node, List.copyOf(groupDrbd), List.copyOf(groupTargets),
                    List.copyOf(groupAddresses)));
        }
        if (!joined.isEmpty()) {
            throw new HaConfigException(file, start, "line continued with '\\' at the end of the file");
        }
        if (groups.isEmpty()) {
            throw new HaConfigException(file + ": no resource group");
        }
        return List.copyOf(groups);
    }

    private static void unique(Path file, int n, Set<String> seen, String value, String what, List<String> into)
            throws HaConfigException {
        if (!seen.add(value)) {
            throw new HaConfigException(file, n, what + " " + value + " is in two groups");
        }
        into.add(value);
    }

    private static ResourceGroup.FloatingAddress address(Path file, int n, String value) throws HaConfigException {
        String[] parts = value.split("/");
        if (parts.length != 3) {
            throw new HaConfigException(file, n, "expected IPaddr::ADDRESS/PREFIX/IFACE, got '" + value + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(parts[0]);
            if (!parts[0].matches("[0-9.]+|[0-9A-Fa-f:]+")) {
                throw new UnknownHostException();
            }
            int bits = a.getAddress().length * 8;
            int prefix = Integer.parseInt(parts[1]);
            if (prefix < 1 || prefix > bits) {
                throw new HaConfigException(file, n, "prefix /" + prefix + " out of range 1-" + bits);
            }
            return new ResourceGroup.FloatingAddress(a.getHostAddress(), prefix, parts[2]);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new HaConfigException(file, n, "expected IPaddr::ADDRESS/PREFIX/IFACE with a numeric address,"
                    + " got '" + value + "'");
        }
    }
}
