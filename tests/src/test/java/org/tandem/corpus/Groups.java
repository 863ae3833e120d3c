package org.tandem.corpus;

import org.tandem.ha.config.ResourceGroup;

import java.util.List;

/** A resource group's contents as expected.txt writes them. */
final class Groups {
    private Groups() {
    }

    static List<String> targets(ResourceGroup g, Object loaded) {
        return g.targets();
    }

    static List<String> volumeGroups(ResourceGroup g) {
        return List.of();
    }

    static List<String> addresses(ResourceGroup g) {
        return g.addresses().stream().map(a -> a.address() + "/" + a.prefix() + "/" + a.iface()).toList();
    }
}
