package org.tandem.ha.replication;

import org.junit.jupiter.api.Test;
import org.tandem.ha.heartbeat.HeartbeatPacket.StateAck;
import org.tandem.ha.heartbeat.HeartbeatPacket.StateRecord;
import org.tandem.ha.heartbeat.PacketCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicatedRecordsTest {
    @Test
    void aPublishedRecordIsResentUntilThePeerAcknowledgesItsVersion() {
        ReplicatedRecords r = new ReplicatedRecords();
        CompletableFuture<Void> first = r.publish("pr t 0", new byte[] {1});
        CompletableFuture<Void> second = r.publish("pr t 0", new byte[] {2});
        // Only the newest version travels.
        assertThat(r.unacknowledged()).extracting(StateRecord::version).containsExactly(2L);
        assertThat(r.unacknowledged().get(0).payload()).containsExactly(2);
        r.acknowledged(new StateAck("pr t 0", 1));
        assertThat(first).isDone();
        assertThat(second).as("an older acknowledgement does not cover a newer change").isNotDone();
        assertThat(r.unacknowledged()).hasSize(1);
        r.acknowledged(new StateAck("pr t 0", 2));
        assertThat(second).isDone();
        assertThat(r.unacknowledged()).isEmpty();
        assertThat(r.waiting()).isZero();
    }

    @Test
    void recordsFromThePeerAreKeptAppliedOnceAndNumberingCarriesOn() {
        ReplicatedRecords r = new ReplicatedRecords();
        List<String> applied = new ArrayList<>();
        r.listener((key, payload) -> applied.add(key + "=" + payload[0]));
        assertThat(r.received(new StateRecord("pr t 0", 4, new byte[] {7}))).isEqualTo(new StateAck("pr t 0", 4));
        assertThat(r.received(new StateRecord("pr t 0", 4, new byte[] {7}))).isEqualTo(new StateAck("pr t 0", 4));
        r.received(new StateRecord("pr t 0", 3, new byte[] {6})); // late and old: acknowledged, not applied
        assertThat(applied).containsExactly("pr t 0=7");
        assertThat(r.get("pr t 0")).containsExactly(7);
        assertThat(r.unacknowledged()).as("the peer has what it sent").isEmpty();
        // Taking over, this node numbers on from the peer's version.
        r.publish("pr t 0", new byte[] {8});
        assertThat(r.unacknowledged()).extracting(StateRecord::version).containsExactly(5L);
    }

    @Test
    void aRestartedPeerGetsEverythingAgainAndAGonePeerReleasesTheWaiters() {
        ReplicatedRecords r = new ReplicatedRecords();
        r.publish("a", new byte[] {1});
        r.acknowledged(new StateAck("a", 1));
        r.received(new StateRecord("b", 2, new byte[] {2}));
        r.peerRestarted();
        assertThat(r.unacknowledged()).extracting(StateRecord::key).containsExactly("a", "b");
        CompletableFuture<Void> waiting = r.publish("a", new byte[] {3});
        r.peerGone();
        assertThat(waiting).isCompleted();
        assertThat(r.unacknowledged()).as("still sent when a peer returns").extracting(StateRecord::key)
                .containsExactly("a", "b");
    }

    @Test
    void aRecordLargerThanAHeartbeatFailsAtOnceAndAFullPacketLeavesTheRestForTheNext() {
        ReplicatedRecords r = new ReplicatedRecords();
        assertThat(r.publish("huge", new byte[PacketCodec.RECORD_BUDGET])).isCompletedExceptionally();
        for (int i = 0; i < 5; i++) {
            r.publish("k" + i, new byte[PacketCodec.RECORD_BUDGET / 3]);
        }
        assertThat(r.unacknowledged()).hasSize(2);
    }
}
