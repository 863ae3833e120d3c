package org.tandem.server.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.ReadyToTransfer;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TaskManagementResponse;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.scsi.sam.CommandResult;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.scsi.lu.LogicalUnit;
import org.tandem.scsi.sbc.BlockLimits;
import org.tandem.scsi.sense.SenseData;
import org.tandem.scsi.sense.SenseReason;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.task.ScsiTask;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Full feature phase of one connection (RFC 7143 sections 3 and 4): takes each PDU through CmdSN ordering
 * ({@link OrderedReceiver}) to the job that acts on it. Here: SCSI commands with their immediate, unsolicited and
 * R2T-solicited data, task management and Logout. Elsewhere, one job each: {@link DataInSequence} (Data-In and SCSI
 * Response), {@link NopPing}, {@link TextExchange}, {@link AsyncMessages} and {@link RejectSender}, sharing this
 * connection's numbering through {@link ConnectionContext}. Runs on the connection's event loop; storage work runs
 * on the I/O executor and its results come back here.
 */
public final class FullFeatureHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(FullFeatureHandler.class);
    private static final int RESERVED = Bhs.RESERVED_TAG;
    /** A write larger than this is refused before any data is asked for: it could never be executed. */
    private static final int MAX_WRITE_BYTES = BlockLimits.MAXIMUM_TRANSFER_BYTES;

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
        this.ordering = new OrderedReceiver(window, ctx, this::dispatch, tasks::contains,
                parameters.firstBurstLength());
        FullFeatureHandler replaced = session.addConnection(connectionId, this);
        if (replaced != null && replaced != this) {
            LOG.info("connection reinstatement: {} CID {} replaces its previous connection", session.describe(),
                    connectionId);
            replaced.closeConnection();
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
            if (!session.discovery()) {
                for (LogicalUnit unit : session.target().units()) {
                    unit.nexusLost(session.nexus());
                }
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
                dataOut(d);
            } else if (pdu instanceof NopOut n) {
                nop.nopOut(n);
            } else if (pdu instanceof TaskManagementRequest t) {
                taskManagement(t);
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
        ScsiTask task = new ScsiTask(c, address.number(), session.target().lun(address), nextTargetTransferTag());
        tasks.add(task);
        int edtl = c.expectedDataTransferLength();
        int immediateLength = c.data().readableBytes();
        if (!c.write() || edtl == 0) {
            if (immediateLength > 0) {
                reject(c, RejectReason.PROTOCOL_ERROR, "data with a command that has no data-out phase");
                tasks.fail(task);
                return;
            }
            tasks.execute(task);
            return;
        }
        if (immediateLength > 0 && !parameters.immediateData()) {
            reject(c, RejectReason.PROTOCOL_ERROR, "immediate data although ImmediateData=No");
            tasks.fail(task);
            return;
        }
        int unsolicitedLimit = parameters.initialR2T() ? immediateLength
                : Math.min(parameters.firstBurstLength(), edtl);
        if (immediateLength > Math.min(parameters.firstBurstLength(), edtl)) {
            reject(c, RejectReason.PROTOCOL_ERROR, "immediate data beyond FirstBurstLength or the expected length");
            tasks.fail(task);
            return;
        }
        if (edtl > MAX_WRITE_BYTES) {
            // Never gather more than one command may carry; answer before asking for any data.
            tasks.finish(task, CommandResult.checkCondition(SenseData.of(SenseReason.INVALID_FIELD_IN_CDB)));
            return;
        }
        if (immediateLength > 0) {
            task.append(c.data().retain());
        }
        task.unsolicited(unsolicitedLimit, !c.finalFlag() && !parameters.initialR2T()
                && immediateLength < unsolicitedLimit);
        task.startR2tsAt(immediateLength);
        continueWrite(task);
    }

    private void dataOut(DataOut d) {
        ScsiTask task = tasks.get(d.initiatorTaskTag());
        if (task == null || task.aborted() || task.executing()) {
            return; // data for a task that ended or was aborted (FastAbort): drop it, RFC 7143 section 4.2.3.4
        }
        SenseReason error = dataOutError(task, d);
        if (error != null) {
            // The task cannot complete, but the connection is sound: fail the task alone, as a value, and drop
            // whatever else the initiator sends for it (RFC 7143 section 7.1.1, SAM-5's ABORTED COMMAND).
            LOG.warn("{}: Data-Out for ITT 0x{} (DataSN {}, offset {}, length {}, TTT 0x{}) does not fit the task"
                            + " (received {} of {}): {}", session.describe(),
                    Integer.toHexString(d.initiatorTaskTag()), d.dataSn(), d.bufferOffset(), d.data().readableBytes(),
                    Integer.toHexString(d.targetTransferTag()), task.received(), task.expectedLength(), error);
            task.abortData();
            tasks.finish(task, CommandResult.checkCondition(error));
            return;
        }
        int length = d.data().readableBytes();
        boolean unsolicited = d.targetTransferTag() == RESERVED;
        if (length > 0) {
            task.append(d.data().retain());
        }
        if (d.finalFlag()) {
            if (unsolicited) {
                // The initiator may end unsolicited data short of FirstBurstLength: R2Ts ask for the rest.
                task.closeUnsolicited();
                task.startR2tsAt(task.received());
            } else {
                task.r2tAnswered();
            }
        }
        continueWrite(task);
    }

    /** Why a Data-Out does not fit its task, or null when it does. */
    private static SenseReason dataOutError(ScsiTask task, DataOut d) {
        int length = d.data().readableBytes();
        boolean unsolicited = d.targetTransferTag() == RESERVED;
        if (!unsolicited && d.targetTransferTag() != task.targetTransferTag()) {
            return SenseReason.INVALID_TARGET_PORT_TRANSFER_TAG_RECEIVED;
        }
        if (task.received() + length > task.expectedLength()
                || (unsolicited && (!task.unsolicitedOpen() || task.received() + length > task.unsolicitedLimit()))) {
            return SenseReason.TOO_MUCH_WRITE_DATA;
        }
        if (d.bufferOffset() != task.received()) {
            return SenseReason.DATA_OFFSET_ERROR;
        }
        if (!task.acceptDataSn(d.dataSn(), d.finalFlag())) {
            return SenseReason.DATA_PHASE_ERROR;
        }
        return null;
    }

    /** Executes the write once all data is in; otherwise asks for more with R2Ts, up to MaxOutstandingR2T. */
    private void continueWrite(ScsiTask task) {
        if (task.allDataReceived()) {
            tasks.execute(task);
            return;
        }
        if (task.unsolicitedOpen()) {
            return;
        }
        boolean sent = false;
        while (task.outstandingR2ts() < parameters.maxOutstandingR2T()
                && task.nextR2tOffset() < task.expectedLength()) {
            int offset = task.nextR2tOffset();
            int length = Math.min(parameters.maxBurstLength(), task.expectedLength() - offset);
            int r2tSn = task.issueR2t(length);
            ctx.write(new ReadyToTransfer(task.command().logicalUnitNumber(), task.initiatorTaskTag(),
                    task.targetTransferTag(), connection.currentStatSn(), window.expCmdSn(), window.maxCmdSn(), r2tSn,
                    offset, length));
            sent = true;
        }
        if (sent) {
            ctx.flush();
        }
    }

    private int nextTargetTransferTag() {
        return connection.nextTargetTransferTag();
    }

    // ---- Task management ----------------------------------------------------------------------------------------

    private void taskManagement(TaskManagementRequest t) {
        boolean referenceEnded = t.function() == TaskManagementRequest.ABORT_TASK && ordering.referencedTaskEnded(t);
        if (session.discovery()) {
            reject(t, RejectReason.PROTOCOL_ERROR, "task management in a discovery session");
            return;
        }
        OrderedReceiver.abortUndelivered(t, session.connections().stream().map(c -> c.ordering).toList());
        TaskManagement.Outcome outcome = TaskManagement.execute(t, session, tasks.byTag(), referenceEnded, window,
                which -> abortOn(session.connections(), which), which -> abortOn(targetConnections(), which));
        LOG.info("task management: {} {} LUN {} -> response {}", session.describe(),
                TaskManagement.name(t.function()), new LunAddress(t.logicalUnitNumber()).number(), outcome.response());
        outcome.after().whenCompleteAsync((v, e) -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            ctx.writeAndFlush(new TaskManagementResponse(outcome.response(),
                    t.initiatorTaskTag(), nextStatSn(), window.expCmdSn(), window.maxCmdSn()));
            if (outcome.closeSessionsAfter()) {
                catalog.sessions().all().stream().filter(s -> s.target() == session.target())
                        .forEach(Session::close);
            }
        }, ctx.executor());
    }

    /** Closes this connection; callable from any thread. */
    void closeConnection() {
        ctx.channel().close();
    }

    /** This connection as the admin endpoint shows it; callable from any thread. */
    ConnectionInfo info() {
        return new ConnectionInfo(connectionId, String.valueOf(ctx.channel().localAddress()),
                String.valueOf(ctx.channel().remoteAddress()), parameters.headerDigest(), parameters.dataDigest(),
                parameters.maxRecvDataSegmentLength(), parameters.maxXmitDataSegmentLength());
    }

    /** AsyncEvent 3 with this Time2Wait (see {@link AsyncMessages#announceDrop}); callable from any thread. */
    void announceDrop(int time2Wait) {
        asyncMessages.announceDrop(time2Wait);
    }

    /** AsyncEvent 1 with this deadline (see {@link AsyncMessages#requestLogout}); callable from any thread. */
    void requestLogout(int seconds) {
        asyncMessages.requestLogout(seconds);
    }

    /**
     * Aborts this connection's matching tasks on its own event loop; callable from any thread (a task management
     * function on another connection). Completes when they have stopped.
     */
    CompletableFuture<Void> abortTasks(Predicate<ScsiTask> which) {
        return tasks.abort(which);
    }

    /**
     * Aborts the matching tasks of other connections, each on its own event loop and against its own session's
     * window; completes when all of them have stopped.
     */
    private CompletableFuture<Void> abortOn(List<FullFeatureHandler> connections, Predicate<ScsiTask> which) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (FullFeatureHandler other : connections) {
            if (other != this) {
                all.add(other.abortTasks(which));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Every connection of every session to this session's target (a logical unit's task set spans them). */
    private List<FullFeatureHandler> targetConnections() {
        List<FullFeatureHandler> all = new ArrayList<>();
        for (Session s : catalog.sessions().all()) {
            if (s.target() == session.target()) {
                all.addAll(s.connections());
            }
        }
        return all;
    }

    private int nextStatSn() {
        return connection.nextStatSn();
    }

    private void reject(IscsiPdu pdu, RejectReason reason, String why) {
        rejects.reject(pdu, reason, why);
    }
}
