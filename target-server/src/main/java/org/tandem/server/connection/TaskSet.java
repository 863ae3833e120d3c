package org.tandem.server.connection;

import io.netty.buffer.ByteBuf;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.scsi.sam.CommandRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.ScsiStatus;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.scsi.stats.IoStatistics;
import org.tandem.server.task.ScsiTask;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The tasks of one connection, by Initiator Task Tag (RFC 7143 section 4.2.2.1: a tag is unique per session while
 * its task runs; SAM-5's task set as this connection sees it). Each task holds a slot of the session's command
 * window from its arrival until it ends, answered or not. Storage work runs on the I/O executor; its result comes
 * back to the connection's event loop, where every method but {@link #abort} must be called.
 */
final class TaskSet {
    private final ConnectionContext connection;
    private final Map<Integer, ScsiTask> tasks = new HashMap<>();

    TaskSet(ConnectionContext connection) {
        this.connection = connection;
    }

    boolean contains(int initiatorTaskTag) {
        return tasks.containsKey(initiatorTaskTag);
    }

    /** The running task with this tag, or null. */
    ScsiTask get(int initiatorTaskTag) {
        return tasks.get(initiatorTaskTag);
    }

    /** A new task: it takes its slot in the command window. */
    void add(ScsiTask task) {
        tasks.put(task.initiatorTaskTag(), task);
        connection.window().started();
    }

    /** Runs the task on its device; its answer goes out from the event loop when the storage work ends. */
    void execute(ScsiTask task) {
        task.executing(true);
        ByteBuf data = task.takeData();
        CommandRequest request = new CommandRequest(connection.session().nexus(), task.command().cdb(), data);
        task.unit().execute(request).whenCompleteAsync((r, error) -> {
            task.executing(false);
            finish(task, error == null ? r : CommandResult.checkCondition(
                    SenseReason.LOGICAL_UNIT_COMMUNICATION_FAILURE));
        }, connection.ctx().executor());
    }

    /** Ends the task with this result: answered, unless it was aborted or the connection is gone. */
    void finish(ScsiTask task, CommandResult result) {
        tasks.remove(task.initiatorTaskTag());
        connection.window().finished();
        if (task.aborted() || !connection.ctx().channel().isActive()) {
            result.dataIn().release();
            task.done().complete(null);
            return;
        }
        record(task, result);
        DataInSequence.respond(connection, task.command(), result);
        task.done().complete(null);
    }

    /** A task that ends without a response (protocol error, logout): it must not keep its window slot. */
    void fail(ScsiTask task) {
        tasks.remove(task.initiatorTaskTag());
        connection.window().finished();
        task.abort();
    }

    /** Ends every task still waiting for data; executing ones finish on their own. */
    void abandonWaiting() {
        for (ScsiTask t : new ArrayList<>(tasks.values())) {
            if (!t.executing()) {
                fail(t);
            }
        }
    }

    /**
     * The connection is gone: every task gives back its window slot (the window may be shared with the session's
     * other connections), those still executing when their I/O completes, the others now.
     */
    void connectionLost() {
        abandonWaiting();
        for (ScsiTask t : tasks.values()) {
            t.abort();
        }
    }

    /** Completes when every task running now has ended. */
    CompletableFuture<Void> running() {
        return CompletableFuture.allOf(tasks.values().stream().map(ScsiTask::done)
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Aborts the matching tasks; callable from any thread (a task management function of another connection): it
     * runs on this connection's event loop and completes when all of them have stopped.
     */
    CompletableFuture<Void> abort(Predicate<ScsiTask> which) {
        return CompletableFuture.supplyAsync(() -> abortHere(which), connection.ctx().executor())
                .thenCompose(f -> f);
    }

    /**
     * Aborts the matching tasks; call on this connection's event loop. A task executing keeps running until its I/O
     * completes ({@link #finish} then drops the result and frees the slot); one waiting for data ends now, since
     * nothing else would end it. Completes when all of them have stopped.
     */
    CompletableFuture<Void> abortHere(Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (ScsiTask task : new ArrayList<>(tasks.values())) {
            if (!which.test(task)) {
                continue;
            }
            if (task.executing()) {
                task.abort();
            } else {
                fail(task);
            }
            stopping.add(task.done());
        }
        return CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new));
    }

    /** Counts a command that is answered in the session's statistics: bytes as the initiator sees them. */
    private void record(ScsiTask task, CommandResult result) {
        ScsiCommand c = task.command();
        boolean error = result.status() != ScsiStatus.GOOD;
        long edtl = Integer.toUnsignedLong(c.expectedDataTransferLength());
        IoStatistics.Kind kind;
        long bytes;
        if (c.read() && edtl > 0) {
            kind = IoStatistics.Kind.READ;
            bytes = Math.min(result.dataIn().readableBytes(), edtl);
        } else if (c.write() && edtl > 0) {
            kind = IoStatistics.Kind.WRITE;
            bytes = error ? 0 : task.expectedLength();
        } else {
            kind = IoStatistics.Kind.OTHER;
            bytes = 0;
        }
        connection.session().statistics().record(kind, bytes, error, System.nanoTime() - task.arrivalNanos());
    }
}
