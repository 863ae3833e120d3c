package org.tandem.ha.takeover;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's actor loop as a test double for the parts it hands work to: records what they ask of it, in order;
 * its view is what the test sets, and {@link #onEvaluate} stands in for the planner's decision.
 */
final class RecordingLoop implements NodeLoop {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile ClusterView view;
    volatile Runnable onEvaluate = () -> { };

    /** How often {@code call} was asked for so far. */
    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    @Override
    public ClusterView view() {
        return view;
    }

    @Override
    public void evaluate() {
        calls.add("evaluate");
        onEvaluate.run();
    }

    @Override
    public void sendHeartbeat() {
        calls.add("heartbeat");
    }

    @Override
    public void publishStatus() {
        calls.add("status");
    }

    @Override
    public void decline(String group) {
        calls.add("decline " + group);
    }

    @Override
    public void leaving() {
        calls.add("leaving");
    }
}
