package org.tandem.server.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A whole configuration: the global section's discovery accounts, the targets, and the access rules from the
 * access files beside ietd.conf (initiators.allow, targets.allow, and the deprecated initiators.deny).
 */
public record TandemConfig(Path file, List<ChapAccount> discoveryIncoming, ChapAccount discoveryOutgoing,
                           List<TargetConfig> targets, AccessRules initiatorsAllow, AccessRules targetsAllow,
                           AccessRules initiatorsDeny) {

    /** A configuration without initiators.deny, as nearly every site has. */
    public TandemConfig(Path file, List<ChapAccount> discoveryIncoming, ChapAccount discoveryOutgoing,
                        List<TargetConfig> targets, AccessRules initiatorsAllow, AccessRules targetsAllow) {
        this(file, discoveryIncoming, discoveryOutgoing, targets, initiatorsAllow, targetsAllow, AccessRules.absent());
    }

    public TargetConfig target(String name) {
        for (TargetConfig t : targets) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** initiators.allow and initiators.deny together: who may log in. */
    public InitiatorAccess initiatorAccess() {
        return new InitiatorAccess(initiatorsAllow, initiatorsDeny);
    }

    /** The same configuration with other initiators.allow rules. */
    public TandemConfig withInitiatorsAllow(AccessRules rules) {
        return new TandemConfig(file, discoveryIncoming, discoveryOutgoing, targets, rules, targetsAllow,
                initiatorsDeny);
    }
}
