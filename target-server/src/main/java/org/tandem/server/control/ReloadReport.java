package org.tandem.server.control;

import java.util.List;

/** What a reload changed: targets added, removed and changed (with how), and how many stayed as they were. */
public record ReloadReport(List<String> targetsAdded, List<String> targetsRemoved, List<String> changes,
                           int targetsUnchanged) {

    public boolean changedNothing() {
        return targetsAdded.isEmpty() && targetsRemoved.isEmpty() && changes.isEmpty();
    }
}
