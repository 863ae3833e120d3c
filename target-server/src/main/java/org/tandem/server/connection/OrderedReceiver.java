package org.tandem.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.DataOut;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LogoutRequest;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.ScsiCommand;
import org.tandem.iscsi.pdu.TaskManagementRequest;
import org.tandem.iscsi.pdu.TextRequest;
import org.tandem.scsi.sam.LunAddress;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.OrderedPdu;
import org.tandem.server.session.SessionConnection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * Where one connection's PDUs enter the session's CmdSN order (RFC 7143 section 3.2.2.1). Non-immediate PDUs that
 * carry a CmdSN (SCSI Command, Task Management Function Request, Text Request, Logout Request, NOP-Out with an
 * Initiator Task Tag) go through the {@link CommandWindow} and reach the connection in CmdSN order; immediate PDUs
 * and those without a CmdSN go straight on. Data-Out is not ordered, but Data-Out for a command still waiting for
 * its turn waits with it and follows it, so the command sees its unsolicited data as if it had not waited (kept up
 * to FirstBurstLength and one PDU beyond, so an excess still fails the command as it would have). An ABORT TASK of a
 * command never received fills that command's CmdSN (section 11.6.1). Lives on the connection's event loop.
 */
final class OrderedReceiver {
    private static final Logger LOG = LogManager.getLogger(OrderedReceiver.class);

    private final CommandWindow window;
    private final ChannelHandlerContext ctx;
    private final Consumer<IscsiPdu> dispatch;
    private final IntPredicate hasTask;
    private final int dataOutLimit;
    /** SCSI commands taken into the order and not yet delivered, by Initiator Task Tag. */
    private final Map<Integer, Held> undelivered = new HashMap<>();
    /** ABORT TASK requests (by their own task tag) whose RefCmdSN the window considered received. */
    private final Set<Integer> consideredReceived = new HashSet<>();
    private boolean closed;

    /**
     * @param dispatch     acts on a PDU on the connection's event loop, and releases it
     * @param hasTask      whether the connection has a task with this Initiator Task Tag
     * @param dataOutLimit bytes of Data-Out kept for a command that waits: FirstBurstLength
     */
    OrderedReceiver(CommandWindow window, ChannelHandlerContext ctx, Consumer<IscsiPdu> dispatch,
                    IntPredicate hasTask, int dataOutLimit) {
        this.window = window;
        this.ctx = ctx;
        this.dispatch = dispatch;
        this.hasTask = hasTask;
        this.dataOutLimit = dataOutLimit;
    }

    /**
     * Takes a PDU that arrived on the connection.
     *
     * @return true when the PDU was taken (delivered, held for its turn, or ignored as outside the window or a
     * duplicate); false when the caller is to act on it now: an immediate PDU, or one the ordering does not concern
     */
    boolean receive(IscsiPdu pdu) {
        if (pdu instanceof DataOut d) {
            Held command = undelivered.get(d.initiatorTaskTag());
            if (command == null) {
                return false;
            }
            command.attach(d);
            return true;
        }
        if (pdu instanceof TaskManagementRequest t && t.function() == TaskManagementRequest.ABORT_TASK) {
            abortOfUnknownTask(t);
        }
        OptionalInt cmdSn = orderedCmdSn(pdu);
        if (cmdSn.isEmpty()) {
            return false;
        }
        Held held = new Held(pdu);
        if (pdu instanceof ScsiCommand c) {
            // Before admit: it may be delivered at once. A second command with the tag of one still waiting (a
            // retransmission, or a protocol error) must not take the first one's place: an ABORT TASK would then
            // miss the waiting command, answer Function Complete, and the command would still run.
            undelivered.putIfAbsent(c.initiatorTaskTag(), held);
        }
        if (!window.admit(cmdSn.getAsInt(), held)) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("{} CmdSN {} outside window [{}, {}] or a duplicate; ignored", pdu.opcode(),
                        Integer.toUnsignedString(cmdSn.getAsInt()), Integer.toUnsignedString(window.expCmdSn()),
                        Integer.toUnsignedString(window.maxCmdSn()));
            }
            undelivered.remove(pdu.initiatorTaskTag(), held);
            consideredReceived.remove(pdu.initiatorTaskTag());
            held.discard();
        }
        return true;
    }

    /**
     * For an ABORT TASK being acted on: whether its referenced task ended before reaching the SCSI layer. True when
     * it is a command of this connection still waiting for its turn (discarded now: it will not run), or when the
     * command never arrived and its RefCmdSN was considered received (RFC 7143 section 11.6.1, case b).
     */
    boolean referencedTaskEnded(TaskManagementRequest t) {
        boolean considered = consideredReceived.remove(t.initiatorTaskTag());
        Held waiting = undelivered.remove(t.referencedTaskTag());
        if (waiting != null) {
            waiting.discard();
            return true;
        }
        return considered;
    }

    /**
     * Before a task management function acts on the session's tasks: discards the commands it aborts that are
     * still waiting for their turn, on each connection's event loop (at once when it is this thread's), ahead of
     * the function's own aborts there, so that none can reach the SCSI layer between the two.
     *
     * @param connections the session's connections
     */
    static void abortUndelivered(TaskManagementRequest t, List<SessionConnection> connections) {
        abortedBy(t).ifPresent(which -> connections.forEach(c -> c.abortUndelivered(which)));
    }

    /** Discards this connection's undelivered commands that {@code which} selects, on its event loop. */
    void abortUndeliveredOnItsLoop(Predicate<ScsiCommand> which) {
        EventExecutor loop = ctx.executor();
        if (loop.inEventLoop()) {
            abortUndelivered(which);
        } else {
            loop.execute(() -> abortUndelivered(which));
        }
    }

    /**
     * Which commands still waiting for their turn a task management function aborts: those numbered before it
     * (for an immediate request, every command sent before it) on the logical unit it names, or on every unit for
     * the target resets. A non-immediate request reaches the connection only after the commands numbered before it,
     * so for it there are none. Empty for functions that abort no task set.
     */
    static Optional<Predicate<ScsiCommand>> abortedBy(TaskManagementRequest t) {
        int lun = new LunAddress(t.logicalUnitNumber()).number();
        Predicate<ScsiCommand> before = c -> CommandWindow.serialLess(c.cmdSn(), t.cmdSn());
        return switch (t.function()) {
            case TaskManagementRequest.ABORT_TASK_SET, TaskManagementRequest.CLEAR_TASK_SET,
                    TaskManagementRequest.LOGICAL_UNIT_RESET ->
                    Optional.of(before.and(c -> new LunAddress(c.logicalUnitNumber()).number() == lun));
            case TaskManagementRequest.TARGET_WARM_RESET, TaskManagementRequest.TARGET_COLD_RESET ->
                    Optional.of(before);
            default -> Optional.empty();
        };
    }

    /**
     * Discards the commands still waiting for their turn that {@code which} selects: they will not run and get no
     * response, as tasks aborted by a task management function (RFC 7143 section 4.2.3.3); their CmdSNs stay received.
     */
    private void abortUndelivered(Predicate<ScsiCommand> which) {
        for (Iterator<Held> i = undelivered.values().iterator(); i.hasNext(); ) {
            Held h = i.next();
            if (which.test((ScsiCommand) h.pdu)) {
                i.remove();
                h.discard();
            }
        }
    }

    /** The connection closed: what it still holds is released; those CmdSNs stay received. */
    void close() {
        closed = true;
        window.discardHeld(p -> p instanceof Held h && h.receiver() == this);
        undelivered.values().forEach(Held::discard);
        undelivered.clear();
        consideredReceived.clear();
    }

    /** RFC 7143 section 11.6.1 b: checked on arrival, or an ABORT TASK held behind the gap would wait for ever. */
    private void abortOfUnknownTask(TaskManagementRequest t) {
        int ref = t.referencedTaskTag();
        if (!hasTask.test(ref) && !undelivered.containsKey(ref)
                && window.considerReceived(t.refCmdSn(), t.cmdSn(), t.immediate())) {
            consideredReceived.add(t.initiatorTaskTag());
        }
    }

    /** The CmdSN of a PDU the ordering concerns; empty for immediate PDUs and those that carry no CmdSN. */
    static OptionalInt orderedCmdSn(IscsiPdu pdu) {
        if (pdu.immediate()) {
            return OptionalInt.empty();
        }
        if (pdu instanceof ScsiCommand c) {
            return OptionalInt.of(c.cmdSn());
        } else if (pdu instanceof TaskManagementRequest t) {
            return OptionalInt.of(t.cmdSn());
        } else if (pdu instanceof TextRequest t) {
            return OptionalInt.of(t.cmdSn());
        } else if (pdu instanceof LogoutRequest l) {
            return OptionalInt.of(l.cmdSn());
        } else if (pdu instanceof NopOut n && n.initiatorTaskTag() != Bhs.RESERVED_TAG) {
            return OptionalInt.of(n.cmdSn()); // one with the reserved tag answers a ping and has no CmdSN of its own
        }
        return OptionalInt.empty();
    }

    /** A PDU of this connection in the CmdSN order, with the Data-Out that followed it while it waited. */
    private final class Held implements OrderedPdu {
        private final IscsiPdu pdu;
        private final List<IscsiPdu> dataOut = new ArrayList<>(0);
        private int dataOutBytes;
        private boolean done;

        Held(IscsiPdu pdu) {
            this.pdu = pdu;
        }

        OrderedReceiver receiver() {
            return OrderedReceiver.this;
        }

        @Override
        public EventExecutor executor() {
            return ctx.executor();
        }

        synchronized void attach(DataOut d) {
            // Bytes and PDUs both bounded: empty Data-Out PDUs would otherwise pile up while a gap stays open. An
            // unsolicited burst needs at most one PDU per 512 bytes (the least MaxRecvDataSegmentLength).
            if (done || dataOutBytes > dataOutLimit || dataOut.size() > dataOutLimit / 512 + 1) {
                d.release(); // beyond what the command may be sent unsolicited, after the PDU that fails it
                return;
            }
            dataOut.add(d);
            dataOutBytes += d.data().readableBytes();
        }

        /** The PDU and its Data-Out, once; empty after delivery or discard. */
        private synchronized List<IscsiPdu> take() {
            if (done) {
                return List.of();
            }
            done = true;
            List<IscsiPdu> all = new ArrayList<>(1 + dataOut.size());
            all.add(pdu);
            all.addAll(dataOut);
            dataOut.clear();
            return all;
        }

        @Override
        public void deliver() {
            undelivered.remove(pdu.initiatorTaskTag(), this);
            List<IscsiPdu> all = take();
            if (closed) {
                all.forEach(IscsiPdu::release);
                return;
            }
            for (int i = 0; i < all.size(); i++) {
                try {
                    dispatch.accept(all.get(i));
                } catch (RuntimeException e) {
                    all.subList(i + 1, all.size()).forEach(IscsiPdu::release);
                    ctx.fireExceptionCaught(e);
                    return;
                }
            }
        }

        @Override
        public void discard() {
            take().forEach(IscsiPdu::release);
        }
    }
}
