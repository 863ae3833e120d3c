package org.tandem.ha.replication;

import org.tandem.ha.heartbeat.HeartbeatPacket.StateAck;
import org.tandem.ha.heartbeat.HeartbeatPacket.StateRecord;
import org.tandem.ha.heartbeat.PacketCodec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * State both servers must hold before a command that changed it completes (a LUN's persistent reservations): the
 * newest version of each record by key, whether the peer has acknowledged it, and the commands waiting for that.
 * Records ride in heartbeats until acknowledged; only the newest version of a key is ever sent, so a burst of
 * changes costs one copy. Records the peer sends are kept too (with their version, so whoever serves next
 * carries on numbering) and handed to a listener. Thread-safe.
 */
public final class ReplicatedRecords {
    private record Entry(long version, byte[] payload, boolean acknowledged) {
    }

    private record Waiter(long version, CompletableFuture<Void> done) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private volatile BiConsumer<String, byte[]> listener = (k, p) -> { };

    /** Who applies the records the peer sends (called on the cluster thread, once per new version). */
    public void listener(BiConsumer<String, byte[]> listener) {
        this.listener = listener;
    }

    /**
     * A new version of a record here; the future completes when the peer acknowledges it (or a newer one), or
     * when there is no peer to wait for ({@link #peerGone}). A record too large for a heartbeat fails at once.
     */
    public synchronized CompletableFuture<Void> publish(String key, byte[] payload) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        StateRecord probe = new StateRecord(key, 0, payload);
        if (PacketCodec.size(probe) > PacketCodec.RECORD_BUDGET) {
            done.completeExceptionally(new IllegalArgumentException("record " + key + " of " + payload.length
                    + " bytes is larger than a heartbeat carries (" + PacketCodec.RECORD_BUDGET + ")"));
            return done;
        }
        Entry old = entries.get(key);
        long version = old == null ? 1 : old.version() + 1;
        entries.put(key, new Entry(version, payload.clone(), false));
        waiters.computeIfAbsent(key, k -> new ArrayList<>()).add(new Waiter(version, done));
        return done;
    }

    /** Records the peer has not acknowledged, newest version each, as many as fit one packet's budget. */
    public synchronized List<StateRecord> unacknowledged() {
        List<StateRecord> out = new ArrayList<>();
        int room = PacketCodec.RECORD_BUDGET;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!e.getValue().acknowledged()) {
                StateRecord r = new StateRecord(e.getKey(), e.getValue().version(), e.getValue().payload());
                int size = PacketCodec.size(r);
                if (size > room) {
                    break;
                }
                room -= size;
                out.add(r);
            }
        }
        return out;
    }

    /** The peer holds this version of a record: it, and every waiter for it or an older one, is done. */
    public synchronized void acknowledged(StateAck ack) {
        Entry e = entries.get(ack.key());
        if (e != null && ack.version() >= e.version()) {
            entries.put(ack.key(), new Entry(e.version(), e.payload(), true));
        }
        List<Waiter> list = waiters.get(ack.key());
        if (list != null) {
            list.removeIf(w -> {
                if (w.version() <= ack.version()) {
                    w.done().complete(null);
                    return true;
                }
                return false;
            });
            if (list.isEmpty()) {
                waiters.remove(ack.key());
            }
        }
    }

    /**
     * A record from the peer. Newer than ours: kept and handed to the listener. Either way the answer is the
     * acknowledgement to send (for the version we hold, which is what the peer needs to stop resending).
     */
    public StateAck received(StateRecord r) {
        boolean fresh;
        synchronized (this) {
            Entry e = entries.get(r.key());
            fresh = e == null || r.version() > e.version();
            if (fresh) {
                entries.put(r.key(), new Entry(r.version(), r.payload().clone(), true));
            }
        }
        if (fresh) {
            listener.accept(r.key(), r.payload().clone());
        }
        return new StateAck(r.key(), r.version());
    }

    /** A peer that (re)started holds nothing: everything is sent to it again. */
    public synchronized void peerRestarted() {
        entries.replaceAll((k, e) -> new Entry(e.version(), e.payload(), false));
    }

    /**
     * The peer is dead (and fenced) or gone: nobody can take these records over meanwhile, so the commands waiting
     * complete; the records are resent when a peer appears ({@link #peerRestarted}).
     */
    public synchronized void peerGone() {
        waiters.values().forEach(list -> list.forEach(w -> w.done().complete(null)));
        waiters.clear();
    }

    /** The newest payload held for a key (published here or received), or null. */
    public synchronized byte[] get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.payload().clone();
    }

    /** Every key held, in first-seen order. */
    public synchronized List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** Commands waiting for the peer's acknowledgement, for the status. */
    public synchronized int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }
}
