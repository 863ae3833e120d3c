package org.tandem.server.connection;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.server.session.Session;
import org.tandem.server.session.SessionConnection;
import org.tandem.server.session.TargetCatalog;
import org.tandem.server.task.ScsiTask;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Task Management Function Requests on one connection (RFC 7143 sections 11.5 and 11.6): first the commands the
 * function aborts that still wait for their CmdSN turn are dropped on every connection, then {@link TaskManagement}
 * acts on the tasks, reaching other connections only through their {@link SessionConnection#abortTasks}, and the
 * response goes once every aborted task has stopped. A cold reset then closes the target's sessions.
 */
final class TaskManagementFunctions {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);

    private final ConnectionContext connection;
    private final SessionConnection self;
    private final TaskSet tasks;
    private final OrderedReceiver ordering;
    private final TargetCatalog catalog;
    private final RejectSender rejects;

    TaskManagementFunctions(ConnectionContext connection, SessionConnection self, TaskSet tasks,
                            OrderedReceiver ordering, TargetCatalog catalog, RejectSender rejects) {
        this.connection = connection;
        this.self = self;
        this.tasks = tasks;
        this.ordering = ordering;
        this.catalog = catalog;
        this.rejects = rejects;
    }

    void request(TaskManagementRequest t) {
        Session session = connection.session();
        boolean referenceEnded = t.function() == TaskManagementRequest.ABORT_TASK && ordering.referencedTaskEnded(t);
        if (session.discovery()) {
            rejects.reject(t, RejectReason.PROTOCOL_ERROR, "task management in a discovery session");
            return;
        }
        OrderedReceiver.abortUndelivered(t, session.connections());
        TaskManagement.Outcome outcome = TaskManagement.execute(t, session, tasks, referenceEnded,
                which -> abortOn(session.connections(), which),
                which -> abortOn(targetConnections(session), which), which -> clear(session, which));
        LOG.info("task management: {} {} LUN {} -> response {}", session.describe(),
                TaskManagement.name(t.function()), new LunAddress(t.logicalUnitNumber()).number(), outcome.response());
        outcome.after().whenCompleteAsync((v, e) -> {
            if (!connection.ctx().channel().isActive()) {
                return;
            }
            connection.ctx().writeAndFlush(new TaskManagementResponse(outcome.response(),
                    t.initiatorTaskTag(), connection.nextStatSn(), connection.window().expCmdSn(),
                    connection.window().maxCmdSn()));
            if (outcome.closeSessionsAfter()) {
                catalog.sessionsOf(session.target()).forEach(Session::close);
            }
        }, connection.ctx().executor());
    }

    /**
     * Aborts the matching tasks of other connections, each on its own event loop and against its own session's
     * window; completes when all of them have stopped.
     */
    private CompletableFuture<Void> abortOn(List<SessionConnection> connections, Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (SessionConnection other : connections) {
            if (other != self) {
                all.add(other.abortTasks(which));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /**
     * CLEAR TASK SET on the other connections to the target: as {@link #abortOn}, and each task of another I_T nexus
     * that it aborts leaves that nexus COMMANDS CLEARED BY ANOTHER INITIATOR (TAS 0: the task gets no response).
     */
    private CompletableFuture<Void> clear(Session requester, Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Session s : catalog.sessionsOf(requester.target())) {
            all.add(abortOn(s.connections(), s.nexus().equals(requester.nexus()) ? which : task -> {
                boolean match = which.test(task);
                if (match && task.unit() instanceof LogicalUnit unit) {
                    unit.commandsCleared(s.nexus());
                }
                return match;
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Every connection of every session to this session's target (a logical unit's task set spans them). */
    private List<SessionConnection> targetConnections(Session session) {
        return catalog.sessionsOf(session.target()).stream().flatMap(s -> s.connections().stream()).toList();
    }
}
