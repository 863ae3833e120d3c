package org.tandem.ha.takeover;

import java.util.List;

/**
 * What a group's start and release need of the iSCSI target, and all of it: ha-failover drives DRBD, LVM, the
 * floating addresses and the tickle itself ({@link ClusterResources}). target-server implements it in its cluster
 * adapter. Targets are named as haresources names them; a target that is not configured fails the step.
 */
public interface ServedTargets {
    /**
     * Opens the targets' LUN stores (DRBD is Primary and the volume groups are active by now), puts in the newest
     * reservation copies from the peer, re-reads the media's sizes, and brings the LUNs online. A store that does not
     * open fails the step with the stores opened here closed again, so that the undo can demote.
     */
    void targetsOnline(List<String> targets) throws Exception;

    /**
     * Puts the LUNs in standby (NOT READY, TARGET PORT IN STANDBY STATE), has the targets' sessions asked to log
     * out and closed a few seconds later, waits (bounded) for every command under way, flushes, and closes the
     * stores: a device held open cannot be demoted.
     */
    void targetsOffline(List<String> targets) throws Exception;

    /**
     * Before a release: tells the initiators of these targets that their connections will drop and that they may
     * reconnect at once (AsyncEvent 3, Time2Wait 0), so that when the new owner's tickle resets them they do not
     * first wait their session's DefaultTime2Wait. Best effort; the connections stay up.
     */
    void announceMove(List<String> targets) throws Exception;
}
