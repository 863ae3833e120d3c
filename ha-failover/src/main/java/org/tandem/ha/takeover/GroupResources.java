package org.tandem.ha.takeover;

import org.tandem.ha.config.ResourceGroup;
import org.tandem.ha.heartbeat.TcpConnection;

import java.util.List;

/**
 * The side effects of starting and releasing a group, one per step, so the lifecycle can order them, time them
 * and undo a partial start. The real one drives DRBD, LVM, the target and ip(8); tests use fakes.
 */
public interface GroupResources {
    /**
     * Make a DRBD resource Primary here, verified. {@code peerFenced}: the peer was fenced (its power is confirmed
     * off), so a connection DRBD still shows to it is stale and may be dropped; false whenever the peer may be
     * alive (a planned switchover, a peer seen releasing), where DRBD's refusal of a second Primary must stand.
     */
    void promote(String drbdResource, boolean peerFenced) throws Exception;

    /** Make it Secondary, verified. */
    void demote(String drbdResource) throws Exception;

    /** Activate an LVM volume group on the group's DRBD devices ({@code LVM::VG}), verified. */
    void activateVolumeGroup(String volumeGroup) throws Exception;

    /** Deactivate it, verified: no logical volume of it active here. */
    void deactivateVolumeGroup(String volumeGroup) throws Exception;

    /** Bring the targets' LUNs online (same identity as on the peer). */
    void targetsOnline(List<String> targets) throws Exception;

    /** End the targets' sessions (Async Message asking for logout, then close), flush, take the LUNs offline. */
    void targetsOffline(List<String> targets) throws Exception;

    /**
     * Before a release: tells the initiators of these targets that their connections will drop and that they may
     * reconnect at once, so that when the new owner's tickle resets them they do not first wait their session's
     * DefaultTime2Wait (2 s at open-iscsi's defaults). Best effort; the connections stay up.
     */
    void announceMove(List<String> targets) throws Exception;

    /** Add the floating address and announce it (gratuitous ARP, tickle ACKs). */
    void addressUp(ResourceGroup.FloatingAddress address) throws Exception;

    void addressDown(ResourceGroup.FloatingAddress address) throws Exception;

    /**
     * Makes initiators reset their connections to an address this node just took over (they were made to the
     * peer), so they reconnect now rather than after TCP's retransmission backoff. Best effort.
     */
    void tickle(List<TcpConnection> connections);
}
