package org.tandem.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.text.IncomingText;
import org.tandem.iscsi.text.TextFormatException;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.iscsi.text.TextTooLongException;
import org.tandem.server.connection.FullFeatureHandler;
import org.tandem.server.session.TargetCatalog;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the login of one connection, PDU by PDU, until full feature phase, then hands the connection to a
 * {@link FullFeatureHandler}. This class keeps the stage machine (RFC 7143 section 6.2) and the channel's life;
 * each step has its own class: {@link LoginRequestRules} (section 11.12), {@link Identification} with
 * {@link SessionJoin}, {@link SecurityStage} (section 12), {@link OperationalStage} (section 13),
 * {@link SessionInstantiation}, and {@link LoginResponder} for the responses and their C-bit parts. Every failure is
 * answered with a Login Response carrying its status and then the connection is closed; a login that does not
 * finish within {@link #LOGIN_TIMEOUT_SECONDS} is dropped, so half-open logins cannot pile up. Lives on the
 * connection's event loop; not sharable.
 */
public final class LoginHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(LoginHandler.class);
    /** open-iscsi gives a login 15 s; a target that waits as long frees half-open connections in time. */
    public static final int LOGIN_TIMEOUT_SECONDS = 15;

    private final TargetCatalog catalog;
    private final FrameSettings frameSettings;
    private final Identification identity;
    private final LoginResponder responder = new LoginResponder();
    /** Text of one login may span PDUs (C bit); more than its limit is not a login but an attack. */
    private final IncomingText incoming = new IncomingText(IncomingText.DEFAULT_LIMIT);

    private LoginRequest first;
    private LoginStage stage = LoginStage.SECURITY_NEGOTIATION;
    /** Set once the first request identified the login. */
    private SecurityStage security;
    private OperationalStage operational;
    private int requests;
    private ScheduledFuture<?> timeout;
    private boolean finished;
    private boolean failed;

    public LoginHandler(TargetCatalog catalog, FrameSettings frameSettings) {
        this.catalog = catalog;
        this.frameSettings = frameSettings;
        this.identity = new Identification(catalog);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeout = ctx.executor().schedule(() -> {
            LOG.info("login from {} not finished within {} s; connection closed", ctx.channel().remoteAddress(),
                    LOGIN_TIMEOUT_SECONDS);
            ctx.close();
        }, LOGIN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        incoming.close();
        responder.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished && !failed) {
            if (requests > 0) {
                // open-iscsi closes without a word when it dislikes an answer: this line is the only trace.
                LOG.warn("login abandoned: {} closed the connection in the {} stage after {} Login Request(s);"
                                + " Tandem's last answer: {}{}", identity.describe(ctx.channel().remoteAddress()),
                        stage == LoginStage.SECURITY_NEGOTIATION ? "security" : "operational", requests,
                        responder.lastAnswer(), security == null ? "" : security.abandonedHint(responder.lastAnswer()));
            } else {
                LOG.debug("connection from {} closed before any Login Request", ctx.channel().remoteAddress());
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (failed) {
            discard(msg); // the failed login's connection is closing
            return;
        }
        if (finished) {
            // PDUs pipelined behind the last Login Request belong to full feature phase.
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof LoginRequest request) {
            requests++;
            try {
                login(ctx, request);
            } catch (LoginFailure f) {
                fail(ctx, f, request.isid(), request.initiatorTaskTag(), request.currentStage(), request.cmdSn());
            } finally {
                request.release();
            }
            return;
        }
        // Any error during login is answered with a Login Response (RFC 7143 section 11.13.5 has a status for
        // each), never a silent close: the initiator then knows it was refused and why.
        if (msg instanceof InvalidPdu invalid) {
            refuse(ctx, invalid.header(), LoginStatus.INITIATOR_ERROR, "malformed PDU: " + invalid.detail());
        } else {
            try {
                byte[] header = new byte[Bhs.LENGTH];
                if (msg instanceof IscsiPdu pdu) {
                    ByteBuf h = Unpooled.wrappedBuffer(header).writerIndex(0);
                    pdu.writeBhs(h);
                }
                refuse(ctx, header, LoginStatus.INVALID_DURING_LOGIN, msg.getClass().getSimpleName()
                        + " before the login finished");
            } finally {
                discard(msg);
            }
        }
    }

    /**
     * Frees a message nobody will read. PDUs are not {@code ReferenceCounted} (each owns its data segment), so
     * {@code ReferenceCountUtil.release} would silently keep their buffers: the login fuzzer's leak.
     */
    private static void discard(Object msg) {
        if (msg instanceof IscsiPdu pdu) {
            pdu.release();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Answers a PDU that is not a usable Login Request, taking ISID and ITT from its header as far as they go. */
    private void refuse(ChannelHandlerContext ctx, byte[] header, LoginStatus status, String why) {
        ByteBuf h = Unpooled.wrappedBuffer(header);
        long isid = first != null ? first.isid() : ((long) h.getUnsignedShort(8) << 32) | h.getUnsignedInt(10);
        int itt = first != null ? first.initiatorTaskTag() : h.getInt(16);
        int cmdSn = first != null ? first.cmdSn() : h.getInt(24);
        fail(ctx, new LoginFailure(status, why), isid, itt, stage, cmdSn);
    }

    private void login(ChannelHandlerContext ctx, LoginRequest request) throws LoginFailure {
        LoginRequestRules.check(request, first);
        if (responder.continuing()) {
            responder.continueWith(ctx, request);
            return;
        }
        if (request.continueFlag()) {
            appendText(request);
            responder.send(ctx, request, false, request.currentStage(), request.currentStage(), List.of(), 0, null);
            return;
        }
        TextParameters keys = text(request);
        if (first == null) {
            first = request;
            responder.startAt(request.expStatSn());
            identity.identify(request, keys, ((InetSocketAddress) ctx.channel().localAddress()).getAddress(),
                    ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
            security = new SecurityStage(identity.incoming(), identity.outgoing());
            operational = new OperationalStage(identity);
        }
        stage = LoginRequestRules.currentStage(stage, request.currentStage(), security.required());
        List<Map.Entry<String, String>> answer = new ArrayList<>();
        operational.portalGroupTag(answer);
        List<Map.Entry<String, String>> offers = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.pairs()) {
            if (!e.getKey().equals("AuthMethod") && !e.getKey().startsWith("CHAP_")) {
                offers.add(e);
            }
        }
        if (stage == LoginStage.SECURITY_NEGOTIATION) {
            security.answer(keys, answer);
        } else if (keys.get("AuthMethod") != null || keys.get("CHAP_A") != null) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "security keys in operational stage");
        }
        answer.addAll(operational.answer(offers));
        boolean transit = request.transit();
        LoginStage next = request.nextStage();
        if (transit && stage == LoginStage.SECURITY_NEGOTIATION && !security.done()) {
            transit = false; // CHAP still under way: stay in the security stage
        }
        if (transit) {
            LoginRequestRules.checkTransit(next, stage);
        }
        if (transit && stage == LoginStage.LOGIN_OPERATIONAL_NEGOTIATION) {
            // Declarations are operational keys: open-iscsi refuses a login whose security stage carries them.
            answer.addAll(operational.declarations());
        }
        if (transit && next == LoginStage.FULL_FEATURE_PHASE) {
            security.requireAuthenticated();
            SessionInstantiation.Instantiated s = SessionInstantiation.instantiate(catalog, identity, operational,
                    request);
            responder.send(ctx, request, true, stage, LoginStage.FULL_FEATURE_PHASE, answer, s.session().tsih(),
                    () -> {
                        finished = true;
                        SessionInstantiation.enterFullFeature(ctx, this, catalog, frameSettings, s,
                                security.describeUser(), responder.statSn());
                    });
            return;
        }
        LoginStage current = stage;
        if (transit) {
            stage = next;
        }
        responder.send(ctx, request, transit, current, transit ? next : current, answer, 0, null);
    }

    private void appendText(LoginRequest r) throws LoginFailure {
        try {
            incoming.append(r.data());
        } catch (TextTooLongException e) {
            throw tooLong(e);
        }
    }

    private TextParameters text(LoginRequest r) throws LoginFailure {
        try {
            return incoming.complete(r.data());
        } catch (TextFormatException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        } catch (TextTooLongException e) {
            throw tooLong(e);
        }
    }

    private static LoginFailure tooLong(TextTooLongException e) {
        return new LoginFailure(LoginStatus.INITIATOR_ERROR, "login text longer than " + e.limit());
    }

    private void fail(ChannelHandlerContext ctx, LoginFailure f, long isid, int itt, LoginStage current, int cmdSn) {
        LOG.warn("login failed: {} ({}): {}", identity.describe(ctx.channel().remoteAddress()), f.status(),
                LogText.printable(f.getMessage()));
        failed = true;
        catalog.logins().failed(f.status());
        responder.refuse(ctx, f.status(), isid, itt, current, cmdSn);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("connection from {} failed during login: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
