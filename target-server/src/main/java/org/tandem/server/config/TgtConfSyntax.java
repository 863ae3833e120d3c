package org.tandem.server.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Lines of tgt's targets.conf pasted into ietd.conf (how-tos mix the two): recognised so that the refusal says
 * what to write in IET's syntax instead. {@code incominguser} and {@code outgoinguser} are not here: IET's
 * directives are case-insensitive, so those lines are IET's own IncomingUser and OutgoingUser.
 */
final class TgtConfSyntax {
    /** tgt words with nothing to translate: what Tandem does instead, or that the line can go. */
    private static final Map<String, String> NO_COUNTERPART = Map.ofEntries(
            Map.entry("vendor_id", "Tandem reports its own vendor identification; remove the line"),
            Map.entry("product_id", "Tandem reports its own product identification; remove the line"),
            Map.entry("product_rev", "Tandem reports its own revision; remove the line"),
            Map.entry("bs-type", "Tandem picks the I/O method from Type=fileio|blockio on the Lun line;"
                    + " remove the line"),
            Map.entry("device-type", "Tandem serves disks only; remove the line"),
            Map.entry("removable", "Tandem serves fixed disks only; remove the line"),
            Map.entry("online", "LUNs are online when Tandem starts; remove the line"),
            Map.entry("mode_page", "Tandem answers MODE SENSE itself; remove the line"),
            Map.entry("sense_format", "Tandem chooses the sense format the command asks for; remove the line"),
            Map.entry("params", "Tandem serves disks only; remove the line"),
            Map.entry("allow-in-use", "remove the line; Tandem opens what the Lun line names"),
            Map.entry("default-driver", "Tandem speaks iSCSI only; remove the line"),
            Map.entry("ignore-errors", "Tandem refuses a configuration with errors; remove the line"),
            Map.entry("control-port", "Tandem is controlled through its admin endpoint; remove the line"),
            Map.entry("include", "ietd.conf has no include; copy the other file's Target stanzas into this file"),
            Map.entry("readonly", "write IOMode=ro in the Lun line's options instead"),
            Map.entry("block-size", "write BlockSize=N in the Lun line's options instead"),
            Map.entry("scsi_id", "write ScsiId=VALUE in the Lun line's options instead"),
            Map.entry("scsi_sn", "write ScsiSN=VALUE in the Lun line's options instead"),
            Map.entry("nop_interval", "write 'NOPInterval SECONDS' inside the Target stanza instead"),
            Map.entry("nop_count", "write 'NOPTimeout SECONDS' inside the Target stanza instead"),
            Map.entry("isnsserverip", "write 'iSNSServer ADDRESS' instead (Tandem ignores iSNS)"),
            Map.entry("isnsserverport", "remove the line (Tandem ignores iSNS)"),
            Map.entry("isns", "remove the line (Tandem ignores iSNS)"));
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[.\\[\\]()*+?{}|^$\\\\]");

    private TgtConfSyntax() {
    }

    /**
     * If {@code word} is tgt syntax, what to write in ietd.conf instead; otherwise null.
     *
     * @param value   the rest of the line, comment removed
     * @param target  the Target stanza the line is in, or null in the global section
     * @param nextLun the lowest LUN number not yet used in that stanza
     */
    static String advice(Path conf, String word, String value, String target, int nextLun) {
        String w = word.toLowerCase(Locale.ROOT);
        String name = target == null ? "TARGETNAME" : target;
        Path allow = conf.toAbsolutePath().getParent().resolve("initiators.allow");
        String tgt = "'" + word + "' is tgt's targets.conf syntax, not IET's: ";
        if (w.equals("<target") || w.startsWith("<target>")) {
            String t = value.endsWith(">") ? value.substring(0, value.length() - 1).strip() : "NAME";
            return tgt + "write 'Target " + t + "' instead (a Target stanza runs to the next Target line)";
        }
        if (w.equals("</target>")) {
            return tgt + "remove it; in ietd.conf a Target stanza runs to the next Target line";
        }
        if (w.equals("<backing-store") || w.equals("<direct-store")) {
            return tgt + "write one line 'Lun " + nextLun + " Path=" + unbracket(value) + ",Type="
                    + type(unbracket(value)) + "' and put the block's options (ScsiSN=, IOMode=...) in its option list";
        }
        if (w.equals("</backing-store>") || w.equals("</direct-store>")) {
            return tgt + "remove it; a Lun line carries all of a LUN's options";
        }
        if (w.equals("backing-store") || w.equals("direct-store")) {
            String path = value.isEmpty() ? "PATH" : value;
            return tgt + "write 'Lun " + nextLun + " Path=" + path + ",Type=" + type(path) + "' instead"
                    + (w.equals("direct-store") ? " (Tandem serves the device as a disk; it does not pass SCSI"
                    + " inquiry data through)" : "");
        }
        if (w.equals("initiator-address")) {
            String address = value.isEmpty() ? "ADDRESS" : value;
            return tgt + "IET restricts initiators in " + allow + ": write the line '" + name + " " + address
                    + "' there (several addresses go comma-separated on that one line: IET read only the"
                    + " first line naming a target)";
        }
        if (w.equals("initiator-name")) {
            String initiator = value.isEmpty() ? "INITIATORNAME" : REGEX_SPECIAL.matcher(value).replaceAll("\\\\$0");
            return tgt + "IET restricts initiators in " + allow + ": write the line '" + name + " " + initiator
                    + "' there (initiator names are regular expressions there, hence the backslashes)";
        }
        if (w.equals("write-cache")) {
            String mode = value.equalsIgnoreCase("off") ? "wt" : "wb";
            return tgt + "write IOMode=" + mode + " in the Lun line's options instead";
        }
        String instead = NO_COUNTERPART.get(w);
        return instead == null ? null : tgt + instead;
    }

    private static String unbracket(String value) {
        String v = value.endsWith(">") ? value.substring(0, value.length() - 1).strip() : value;
        return v.isEmpty() ? "PATH" : v;
    }

    private static String type(String path) {
        return path.startsWith("/dev/") ? "blockio" : "fileio";
    }
}
