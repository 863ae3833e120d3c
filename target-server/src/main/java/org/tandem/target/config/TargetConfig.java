package org.tandem.target.config;

import java.util.List;

/** One Target stanza. {@code outgoing} is null when no OutgoingUser is set; alias null when none. */
public record TargetConfig(String name, String alias, List<LunConfig> luns, List<ChapAccount> incoming,
                           ChapAccount outgoing, TargetSettings settings) {
}
