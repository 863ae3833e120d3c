package org.tandem.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.text.OutgoingText;
import org.tandem.iscsi.text.TextParameters;

import java.util.List;
import java.util.Map;

/**
 * The target's Login Responses on one connection (RFC 7143 sections 6.1 and 11.13): StatSN, and an answer longer
 * than the default MaxRecvDataSegmentLength (8192 during login, section 13.12) sent in parts with the C bit, each
 * next part when the initiator asks with an empty Login Request. The last part carries the real T, NSG and TSIH.
 * Used on the connection's event loop.
 */
final class LoginResponder {
    private static final int VERSION = LoginRequestRules.VERSION;

    private int statSn;
    /** The rest of a Login Response too long for one PDU, sent as the initiator asks for it. */
    private Pending pending;
    /** What the last Login Response said, for the log line of a login the initiator abandons. */
    private String lastAnswer = "nothing";

    /** A Login Response whose text is being sent in several PDUs, and what to do after the last one. */
    private record Pending(OutgoingText text, boolean transit, LoginStage current, LoginStage next, int tsih,
                           Runnable afterLast) {
    }

    /** StatSN starts at the ExpStatSN of the login's first request (section 11.12). */
    void startAt(int expStatSn) {
        statSn = expStatSn;
    }

    /** The StatSN the next response takes; after the last Login Response, full feature phase's first. */
    int statSn() {
        return statSn;
    }

    String lastAnswer() {
        return lastAnswer;
    }

    /** Whether parts of an answer are still to be sent. */
    boolean continuing() {
        return pending != null;
    }

    /**
     * Answers {@code r} with {@code keys}: in one PDU, or the first part of several. {@code afterLast} (or null)
     * runs once the last part is written.
     */
    void send(ChannelHandlerContext ctx, LoginRequest r, boolean transit, LoginStage current, LoginStage next,
              List<Map.Entry<String, String>> keys, int tsih, Runnable afterLast) {
        lastAnswer = LogText.keys(keys);
        pending = new Pending(new OutgoingText(TextParameters.of(keys).encode(),
                FrameSettings.DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH), transit, current, next, tsih, afterLast);
        sendPart(ctx, r);
    }

    /**
     * The initiator's request for the next part: it must be empty (section 6.1).
     *
     * @throws LoginFailure INITIATOR_ERROR for a request with text, C or T
     */
    void continueWith(ChannelHandlerContext ctx, LoginRequest r) throws LoginFailure {
        if (r.data().isReadable() || r.continueFlag() || r.transit()) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "Login Request with text, C or T while the target's"
                    + " Login Response continues (RFC 7143 section 6.1 wants an empty request)");
        }
        sendPart(ctx, r);
    }

    /** The Login Response that ends a failed login with its status; the connection closes once it is written. */
    void refuse(ChannelHandlerContext ctx, LoginStatus status, long isid, int itt, LoginStage current, int cmdSn) {
        close();
        ctx.writeAndFlush(new LoginResponse(false, false, current, current, VERSION, VERSION, isid, 0, itt, statSn++,
                cmdSn, cmdSn, status.statusClass(), status.detail(), Unpooled.EMPTY_BUFFER))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Drops the unsent rest of an answer; idempotent. */
    void close() {
        if (pending != null) {
            pending.text().close();
            pending = null;
        }
    }

    /** Sends the next PDU of the pending response: C=1 while text remains, the real T, NSG and TSIH on the last. */
    private void sendPart(ChannelHandlerContext ctx, LoginRequest r) {
        Pending p = pending;
        ByteBuf segment = p.text().next();
        boolean more = p.text().hasMore();
        if (!more) {
            p.text().close();
            pending = null;
        }
        ctx.writeAndFlush(new LoginResponse(!more && p.transit(), more, p.current(), more ? p.current() : p.next(),
                VERSION, VERSION, r.isid(), more ? 0 : p.tsih(), r.initiatorTaskTag(), statSn++, r.cmdSn(),
                r.cmdSn(), 0, 0, segment));
        if (!more && p.afterLast() != null) {
            p.afterLast().run();
        }
    }
}
