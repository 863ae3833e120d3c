package org.tandem.server.config;

import java.util.List;

/** One Target stanza. {@code outgoing} is null when no OutgoingUser is set; alias null when none. */
public record TargetConfig(String name, String alias, List<LunConfig> luns, List<ChapAccount> incoming,
                           ChapAccount outgoing, TargetSettings settings) {

    public TargetConfig {
        luns = List.copyOf(luns);
        incoming = List.copyOf(incoming);
    }

    /** A new target with no LUNs, no accounts and IET's default settings. */
    public static TargetConfig empty(String name, String alias) {
        return new TargetConfig(name, alias, List.of(), List.of(), null, TargetSettings.defaults());
    }

    public TargetConfig withLuns(List<LunConfig> newLuns) {
        return new TargetConfig(name, alias, newLuns, incoming, outgoing, settings);
    }

    public TargetConfig withAccounts(List<ChapAccount> newIncoming, ChapAccount newOutgoing) {
        return new TargetConfig(name, alias, luns, newIncoming, newOutgoing, settings);
    }

    public TargetConfig withSettings(String newAlias, TargetSettings newSettings) {
        return new TargetConfig(name, newAlias, luns, incoming, outgoing, newSettings);
    }

    /** The LUN with this number, or null. */
    public LunConfig lun(int number) {
        for (LunConfig l : luns) {
            if (l.number() == number) {
                return l;
            }
        }
        return null;
    }
}
