package org.tandem.ha.takeover;

import java.util.List;

/** The cluster as this node sees it, for the admin endpoint and tandemctl cluster. */
public record ClusterStatus(String self, String selfState, String ping, String peer, String peerStatus,
                            String peerState, String peerPing, List<LinkStatus> links, List<GroupView> groups,
                            Takeover lastTakeover, long droppedPackets) {

    /** One heartbeat link: whether it carries valid packets and how long since the last. */
    public record LinkStatus(String link, boolean up, long lastHeardMillisAgo) {
    }

    /** One group: where it is preferred, this node's part, the peer's part. */
    public record GroupView(String name, String preferredNode, String here, String onPeer, List<String> targets) {
    }

    /** The last takeover or release this node ran, with each step's time. */
    public record Takeover(String group, String action, String reason, String startedAt, long totalMillis,
                           List<StepTiming> steps) {
    }
}
