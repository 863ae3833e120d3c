package org.tandem.server.session;

import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.server.task.ScsiTask;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * One connection of a session in full feature phase, as the session and the other connections see it. Each
 * connection runs on its own event loop: every method is callable from any thread and does its work on that loop.
 */
public interface SessionConnection {
    /** The connection as the admin endpoint shows it. */
    ConnectionInfo info();

    /** Closes the connection. */
    void closeConnection();

    /** AsyncEvent 3: the target will drop the session's connections; reconnect after {@code time2Wait} seconds. */
    void announceDrop(int time2Wait);

    /** AsyncEvent 1: log out within {@code seconds}, else the connection is closed. */
    void requestLogout(int seconds);

    /** Aborts this connection's matching tasks (a task management function); completes when they have stopped. */
    CompletableFuture<Void> abortTasks(Predicate<ScsiTask> which);

    /** Drops this connection's commands still waiting for their CmdSN turn that {@code which} selects. */
    void abortUndelivered(Predicate<ScsiCommand> which);
}
