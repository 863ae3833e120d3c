package org.tandem.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.ConnectionInfo;
import org.tandem.server.session.Session;
import org.tandem.server.session.SessionConnection;
import org.tandem.server.session.TargetCatalog;
import org.tandem.server.task.ScsiTask;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Full feature phase of one connection (RFC 7143 sections 3 and 4): takes each PDU through CmdSN ordering
 * ({@link OrderedReceiver}) to the job that acts on it, one class each: {@link WriteGathering} (a command's data),
 * {@link TaskSet} (execution and aborts), {@link TaskManagementFunctions}, {@link DataInSequence} (Data-In and SCSI
 * Response), {@link NopPing}, {@link TextExchange}, {@link Logout}, {@link AsyncMessages} and {@link RejectSender},
 * sharing this connection's numbering through {@link ConnectionContext}. Its session sees it as a
 * {@link SessionConnection}. Runs on the connection's event loop; storage work runs on the I/O executor and its
 * results come back here.
 */
public final class FullFeatureHandler extends ChannelInboundHandlerAdapter implements SessionConnection {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);

    private final Session session;
    private final TargetCatalog catalog;
    private final SessionParameters parameters;
    private final CommandWindow window;
    private final int nopIntervalSeconds;
    private final int nopTimeoutSeconds;
    private final int connectionId;
    private final int firstStatSn;
    private ChannelHandlerContext ctx;
    private ConnectionContext connection;
    private OrderedReceiver ordering;
    private RejectSender rejects;
    private NopPing nop;
    private TextExchange textExchange;
    private AsyncMessages asyncMessages;
    private TaskSet tasks;
    private WriteGathering writes;
    private TaskManagementFunctions taskManagementFunctions;
    private Logout logout;

    /**
     * @param parameters   this connection's parameters: the session's, with its own digests and segment lengths
     * @param connectionId the CID this connection logged in with
     * @param nextStatSn   the StatSN of the first response after login (StatSN counts per connection)
     */
    public FullFeatureHandler(Session session, SessionParameters parameters, TargetCatalog catalog, int connectionId,
                              int nextStatSn, int nopIntervalSeconds, int nopTimeoutSeconds) {
        this.session = session;
        this.connectionId = connectionId;
        this.catalog = catalog;
        this.parameters = parameters;
        this.window = session.window();
        this.firstStatSn = nextStatSn;
        this.nopIntervalSeconds = nopIntervalSeconds;
        this.nopTimeoutSeconds = nopTimeoutSeconds;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.connection = new ConnectionContext(ctx, session, parameters, firstStatSn);
        this.rejects = new RejectSender(connection);
        this.nop = new NopPing(connection, nopIntervalSeconds, nopTimeoutSeconds);
        this.textExchange = new TextExchange(connection, catalog, rejects);
        this.asyncMessages = new AsyncMessages(connection);
        this.tasks = new TaskSet(connection);
        this.logout = new Logout(connection, this, tasks, catalog, connectionId);
        this.writes = new WriteGathering(connection, tasks, rejects);
        this.ordering = new OrderedReceiver(window, ctx, this::dispatch, tasks::contains,
                parameters.firstBurstLength());
        this.taskManagementFunctions = new TaskManagementFunctions(connection, this, tasks, ordering, catalog,
                rejects);
        SessionConnection replaced = session.addConnection(connectionId, this);
        if (replaced != null && replaced != this) {
            LOG.info("connection reinstatement: {} CID {} replaces its previous connection", session.describe(),
                    connectionId);
            replaced.closeConnection();
        }
        if (!session.discovery() && catalog.target(session.target().name()) != session.target()) {
            // A reload removed (or replaced) the target after the login checked it but before this connection was
            // in the session, so the reload's closing of the target's sessions missed it. The reload changes the
            // catalog before it lists the sessions, and this connection joined its session before looking: one of
            // the two sees the other.
            LOG.info("closing {} from {}: target removed by a reload during the login", session.describe(),
                    ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        nop.start();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        nop.stop();
        ordering.close();
        tasks.connectionLost();
        textExchange.close();
        if (session.removeConnection(connectionId, this)) {
            catalog.sessions().remove(session);
            if (!reinstated()) {
                session.nexusLost();
            }
        }
        if (!logout.loggingOut()) {
            LOG.log(catalog.sessionLogLevel(), "connection lost: {} from {}", session.describe(),
                    ctx.channel().remoteAddress());
        }
        rejects.connectionEnded();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            // A reset by the peer (iscsiadm ends every discovery session so): channelInactive logs the loss.
            LOG.debug("{}: {}", session.describe(), cause.toString());
        } else {
            LOG.warn("closing {}: {}", session.describe(), cause.toString());
        }
        ctx.close();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InvalidPdu invalid) {
            rejects.invalid(invalid);
            return;
        }
        IscsiPdu pdu = (IscsiPdu) msg;
        if (!ordering.receive(pdu)) {
            dispatch(pdu); // immediate, or not ordered by CmdSN
        }
    }

    /** Acts on a PDU whose turn has come (RFC 7143 section 3.2.2.1), and releases it. */
    private void dispatch(IscsiPdu pdu) {
        try {
            if (pdu instanceof ScsiCommand c) {
                command(c);
            } else if (pdu instanceof DataOut d) {
                writes.dataOut(d);
            } else if (pdu instanceof NopOut n) {
                nop.nopOut(n);
            } else if (pdu instanceof TaskManagementRequest t) {
                taskManagementFunctions.request(t);
            } else if (pdu instanceof TextRequest t) {
                textExchange.text(t);
            } else if (pdu instanceof LogoutRequest l) {
                logout.logout(l);
            } else {
                // SNACK needs ErrorRecoveryLevel > 0, which Tandem never agrees to; a Login now is out of place.
                reject(pdu, RejectReason.PROTOCOL_ERROR, pdu.opcode() + " in full feature phase");
            }
        } finally {
            pdu.release();
        }
    }

    // ---- SCSI commands ----------------------------------------------------------------------------------------

    private void command(ScsiCommand c) {
        if (session.discovery()) {
            reject(c, RejectReason.PROTOCOL_ERROR, "SCSI command in a discovery session");
            return;
        }
        if (tasks.contains(c.initiatorTaskTag())) {
            reject(c, RejectReason.TASK_IN_PROGRESS, "ITT 0x" + Integer.toHexString(c.initiatorTaskTag())
                    + " already in use");
            return;
        }
        LunAddress address = new LunAddress(c.logicalUnitNumber());
        ScsiTask task = new ScsiTask(c, address.number(), session.target().lun(address),
                connection.nextTargetTransferTag());
        tasks.add(task);
        writes.start(task);
    }

    /**
     * Whether a registered session is this session's I_T nexus again (session reinstatement): the reinstating login
     * declared this nexus lost already, and what the nexus does now is the new session's.
     */
    private boolean reinstated() {
        return catalog.sessions().all().stream().anyMatch(s -> s != session && s.nexus().equals(session.nexus()));
    }

    /** Closes this connection; callable from any thread. */
    @Override
    public void closeConnection() {
        ctx.channel().close();
    }

    /** This connection as the admin endpoint shows it; callable from any thread. */
    @Override
    public ConnectionInfo info() {
        return new ConnectionInfo(connectionId, String.valueOf(ctx.channel().localAddress()),
                String.valueOf(ctx.channel().remoteAddress()), parameters.headerDigest(), parameters.dataDigest(),
                parameters.maxRecvDataSegmentLength(), parameters.maxXmitDataSegmentLength());
    }

    /** AsyncEvent 3 with this Time2Wait (see {@link AsyncMessages#announceDrop}); callable from any thread. */
    @Override
    public void announceDrop(int time2Wait) {
        asyncMessages.announceDrop(time2Wait);
    }

    /** AsyncEvent 1 with this deadline (see {@link AsyncMessages#requestLogout}); callable from any thread. */
    @Override
    public void requestLogout(int seconds) {
        asyncMessages.requestLogout(seconds);
    }

    /**
     * Aborts this connection's matching tasks on its own event loop; callable from any thread (a task management
     * function on another connection). Completes when they have stopped.
     */
    @Override
    public CompletableFuture<Void> abortTasks(Predicate<ScsiTask> which) {
        return tasks.abort(which);
    }

    @Override
    public void abortUndelivered(Predicate<ScsiCommand> which) {
        ordering.abortUndeliveredOnItsLoop(which);
    }

    private void reject(IscsiPdu pdu, RejectReason reason, String why) {
        rejects.reject(pdu, reason, why);
    }
}
