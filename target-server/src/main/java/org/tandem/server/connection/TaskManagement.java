package org.tandem.server.connection;

import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.lu.ScsiDevice;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.session.Session;
import org.tandem.server.task.ScsiTask;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Task management functions (RFC 7143 section 11.5.1, SAM-5 section 7). ABORT TASK and ABORT TASK SET act on the
 * requesting I_T nexus; CLEAR TASK SET, LOGICAL UNIT RESET and the target resets on every session's tasks for the
 * logical unit (the Control mode page reports one task set for all initiators, TST = 0). An aborted task sends no
 * response; the function's response waits until every task it aborted has stopped running, so the initiator may
 * reuse their tags at once. Resets also establish unit attentions on every I_T nexus. Storage I/O already under
 * way cannot be recalled; it finishes and its result is dropped.
 */
final class TaskManagement {
    /** The response code, what it waits for, and whether all of the target's sessions close afterwards. */
    record Outcome(int response, CompletableFuture<Void> after, boolean closeSessionsAfter) {
        static Outcome now(int response) {
            return new Outcome(response, CompletableFuture.completedFuture(null), false);
        }
    }

    private TaskManagement() {
    }

    /**
     * Call on the connection's event loop.
     *
     * @param tasks        the tasks of the connection the request arrived on
     * @param referenceEnded for ABORT TASK: the referenced task ended before it reached the SCSI layer, or never
     *                       arrived and its RefCmdSN was considered received ({@link OrderedReceiver})
     * @param sameSession  aborts the matching tasks of the session's other connections (MC/S); ABORT TASK looks
     *                     only on this connection, to which the task is allegiant
     * @param wholeTarget  aborts the matching tasks of every other connection to the target, of any session
     * @param clear        as {@code wholeTarget}, and tells each other I_T nexus that lost a task so (CLEAR TASK SET)
     */
    static Outcome execute(TaskManagementRequest t, Session session, TaskSet tasks, boolean referenceEnded,
                           Function<Predicate<ScsiTask>, CompletableFuture<Void>> sameSession,
                           Function<Predicate<ScsiTask>, CompletableFuture<Void>> wholeTarget,
                           Function<Predicate<ScsiTask>, CompletableFuture<Void>> clear) {
        LunAddress address = new LunAddress(t.logicalUnitNumber());
        int lun = address.number();
        ScsiDevice unit = session.target().lun(address);
        switch (t.function()) {
            case TaskManagementRequest.ABORT_TASK -> {
                ScsiTask task = tasks.get(t.referencedTaskTag());
                if (task == null) {
                    // RFC 7143 section 11.6.1: Function Complete when the task ended before it ran or its CmdSN
                    // was considered received (case b); otherwise, for instance a task already answered, whose
                    // RefCmdSN is now below the window, Task Does Not Exist (case c).
                    return Outcome.now(referenceEnded ? TaskManagementResponse.FUNCTION_COMPLETE
                            : TaskManagementResponse.TASK_DOES_NOT_EXIST);
                }
                return new Outcome(TaskManagementResponse.FUNCTION_COMPLETE,
                        tasks.abortHere(x -> x == task), false);
            }
            case TaskManagementRequest.ABORT_TASK_SET, TaskManagementRequest.CLEAR_TASK_SET -> {
                if (!unit.exists()) {
                    return Outcome.now(TaskManagementResponse.LUN_DOES_NOT_EXIST);
                }
                boolean clearing = t.function() == TaskManagementRequest.CLEAR_TASK_SET;
                return new Outcome(TaskManagementResponse.FUNCTION_COMPLETE,
                        everywhere(tasks, clearing ? clear : sameSession, x -> x.lun() == lun), false);
            }
            case TaskManagementRequest.LOGICAL_UNIT_RESET -> {
                if (!unit.exists()) {
                    return Outcome.now(TaskManagementResponse.LUN_DOES_NOT_EXIST);
                }
                CompletableFuture<Void> after = everywhere(tasks, wholeTarget, x -> x.lun() == lun);
                unit.reset(SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
                return new Outcome(TaskManagementResponse.FUNCTION_COMPLETE, after, false);
            }
            case TaskManagementRequest.TARGET_WARM_RESET, TaskManagementRequest.TARGET_COLD_RESET -> {
                CompletableFuture<Void> after = everywhere(tasks, wholeTarget, x -> true);
                for (LogicalUnit u : session.target().units()) {
                    u.reset(SenseReason.BUS_DEVICE_RESET_FUNCTION_OCCURRED);
                }
                return new Outcome(TaskManagementResponse.FUNCTION_COMPLETE, after,
                        t.function() == TaskManagementRequest.TARGET_COLD_RESET);
            }
            case TaskManagementRequest.CLEAR_ACA -> {
                return Outcome.now(TaskManagementResponse.FUNCTION_NOT_SUPPORTED); // NormACA is 0
            }
            case TaskManagementRequest.TASK_REASSIGN -> {
                return Outcome.now(TaskManagementResponse.TASK_ALLEGIANCE_REASSIGNMENT_NOT_SUPPORTED);
            }
            default -> {
                return Outcome.now(TaskManagementResponse.FUNCTION_REJECTED);
            }
        }
    }

    private static CompletableFuture<Void> everywhere(TaskSet tasks,
                                                      Function<Predicate<ScsiTask>, CompletableFuture<Void>> elsewhere,
                                                      Predicate<ScsiTask> which) {
        return CompletableFuture.allOf(tasks.abortHere(which), elsewhere.apply(which));
    }

    static String name(int function) {
        return switch (function) {
            case TaskManagementRequest.ABORT_TASK -> "ABORT TASK";
            case TaskManagementRequest.ABORT_TASK_SET -> "ABORT TASK SET";
            case TaskManagementRequest.CLEAR_ACA -> "CLEAR ACA";
            case TaskManagementRequest.CLEAR_TASK_SET -> "CLEAR TASK SET";
            case TaskManagementRequest.LOGICAL_UNIT_RESET -> "LOGICAL UNIT RESET";
            case TaskManagementRequest.TARGET_WARM_RESET -> "TARGET WARM RESET";
            case TaskManagementRequest.TARGET_COLD_RESET -> "TARGET COLD RESET";
            case TaskManagementRequest.TASK_REASSIGN -> "TASK REASSIGN";
            default -> "function " + function;
        };
    }
}
