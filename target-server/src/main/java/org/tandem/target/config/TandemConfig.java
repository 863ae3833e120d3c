package org.tandem.target.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A whole configuration: the global section's discovery accounts, the targets, and the access rules from the
 * allow files beside ietd.conf.
 */
public record TandemConfig(Path file, List<ChapAccount> discoveryIncoming, ChapAccount discoveryOutgoing,
                           List<TargetConfig> targets, AccessRules initiatorsAllow, AccessRules targetsAllow) {

    public TargetConfig target(String name) {
        for (TargetConfig t : targets) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
