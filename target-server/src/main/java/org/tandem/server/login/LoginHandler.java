package org.tandem.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.pdu.Bhs;
import org.tandem.iscsi.pdu.IscsiPdu;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.text.OutgoingText;
import org.tandem.iscsi.text.TextFormatException;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.server.auth.ChapAuthenticator;
import org.tandem.server.auth.ChapStep;
import org.tandem.server.config.ChapAccount;
import org.tandem.server.config.InitiatorAccess;
import org.tandem.server.config.TargetSetting;
import org.tandem.server.config.TargetSettings;
import org.tandem.server.negotiation.NegotiationException;
import org.tandem.server.negotiation.NegotiationKey;
import org.tandem.server.negotiation.Negotiator;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.FullFeatureHandler;
import org.tandem.server.session.IscsiTarget;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the login of one connection, PDU by PDU, until full feature phase, then hands the connection to a
 * {@link FullFeatureHandler}. Every failure is answered with a Login Response carrying its status and then the
 * connection is closed; a login that does not finish within {@link #LOGIN_TIMEOUT_SECONDS} is dropped, so
 * half-open logins cannot pile up. Lives on the connection's event loop; not sharable.
 */
public final class LoginHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LogManager.getLogger(LoginHandler.class);
    /** open-iscsi gives a login 15 s; a target that waits as long frees half-open connections in time. */
    public static final int LOGIN_TIMEOUT_SECONDS = 15;
    private static final int VERSION = 0x00;
    /** Text of one login may span PDUs (C bit); more than this is not a login but an attack. */
    private static final int MAX_LOGIN_TEXT = 64 * 1024;

    private final TargetCatalog catalog;
    private final FrameSettings frameSettings;

    private LoginRequest first;
    private LoginStage stage = LoginStage.SECURITY_NEGOTIATION;
    private int statSn;
    private String initiatorName;
    private IscsiTarget target;
    private Session joining;
    private boolean discovery;
    private Negotiator negotiator;
    private boolean authenticationRequired;
    private String authMethod;
    private ChapAuthenticator chap;
    private boolean authenticated;
    private boolean sentPortalGroupTag;
    private CompositeByteBuf continued;
    /** The rest of a Login Response too long for one PDU, sent as the initiator asks for it. */
    private PendingResponse pending;
    /** What the last Login Response said, for the log line of a login the initiator abandons. */
    private String lastAnswer = "nothing";
    private int requests;
    private ScheduledFuture<?> timeout;
    private boolean finished;
    private boolean failed;

    /** A Login Response whose text is being sent in several PDUs (C bit), and what to do after the last one. */
    private record PendingResponse(OutgoingText text, LoginRequest request, boolean transit, LoginStage current,
                                   LoginStage next, int tsih, Runnable afterLast) {
    }

    public LoginHandler(TargetCatalog catalog, FrameSettings frameSettings) {
        this.catalog = catalog;
        this.frameSettings = frameSettings;
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
        if (continued != null) {
            continued.release();
            continued = null;
        }
        if (pending != null) {
            pending.text().close();
            pending = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!finished && !failed) {
            if (requests > 0) {
                // open-iscsi closes without a word when it dislikes an answer: this line is the only trace.
                boolean afterMutualAnswer = chap != null && chap.mutualAs() != null && lastAnswer.contains("CHAP_R=");
                LOG.warn("login abandoned: {} from {}{} closed the connection in the {} stage after {} Login"
                                + " Request(s); Tandem's last answer: {}{}",
                        initiatorName != null ? initiatorName : "initiator", ctx.channel().remoteAddress(),
                        discovery ? " (discovery)" : target != null ? " to " + target.name() : "",
                        stage == LoginStage.SECURITY_NEGOTIATION ? "security" : "operational", requests, lastAnswer,
                        afterMutualAnswer ? " (the initiator may have refused Tandem's mutual CHAP answer as"
                                + " OutgoingUser " + chap.mutualAs() + ": check its target user and secret)" : "");
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
        checkConstantFields(request);
        if (request.continueFlag() && request.transit()) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "Login Request with both C and T set"
                    + " (RFC 7143 section 11.12.2)");
        }
        if (pending != null) {
            continueResponse(ctx, request);
            return;
        }
        if (request.continueFlag()) {
            appendText(request);
            send(ctx, request, false, request.currentStage(), request.currentStage(), List.of(), 0, null);
            return;
        }
        TextParameters keys = text(request);
        if (first == null) {
            first = request;
            statSn = request.expStatSn();
            identify(ctx, request, keys);
        }
        if (request.currentStage() != stage) {
            if (stage == LoginStage.SECURITY_NEGOTIATION
                    && request.currentStage() == LoginStage.LOGIN_OPERATIONAL_NEGOTIATION && !authenticationRequired) {
                stage = LoginStage.LOGIN_OPERATIONAL_NEGOTIATION; // skipping security is fine without accounts
            } else if (authenticationRequired && stage == LoginStage.SECURITY_NEGOTIATION) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "security stage skipped; target requires"
                        + " CHAP");
            } else {
                throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "CSG " + request.currentStage()
                        + " while in " + stage);
            }
        }
        List<Map.Entry<String, String>> answer = new ArrayList<>();
        if (!sentPortalGroupTag && !discovery) {
            answer.add(Map.entry("TargetPortalGroupTag", Integer.toString(TargetCatalog.PORTAL_GROUP_TAG)));
            if (target.config().alias() != null) {
                answer.add(Map.entry("TargetAlias", target.config().alias()));
            }
            sentPortalGroupTag = true;
        }
        List<Map.Entry<String, String>> operational = new ArrayList<>();
        for (Map.Entry<String, String> e : keys.pairs()) {
            String k = e.getKey();
            if (k.equals("AuthMethod") || k.startsWith("CHAP_")) {
                continue;
            }
            operational.add(e);
        }
        if (stage == LoginStage.SECURITY_NEGOTIATION) {
            security(keys, answer);
        } else if (keys.get("AuthMethod") != null || keys.get("CHAP_A") != null) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "security keys in operational stage");
        }
        try {
            answer.addAll(negotiator.answer(operational));
        } catch (NegotiationException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        }
        boolean transit = request.transit();
        LoginStage next = request.nextStage();
        if (transit && stage == LoginStage.SECURITY_NEGOTIATION && !securityDone()) {
            transit = false; // CHAP still under way: stay in the security stage
        }
        if (transit && (next == LoginStage.RESERVED || next.code() <= stage.code())) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN, "transit to NSG " + next + " from " + stage);
        }
        if (transit && stage == LoginStage.LOGIN_OPERATIONAL_NEGOTIATION) {
            // Declarations are operational keys: open-iscsi refuses a login whose security stage carries them.
            answer.addAll(negotiator.declarations());
        }
        if (transit && next == LoginStage.FULL_FEATURE_PHASE) {
            finish(ctx, request, answer);
            return;
        }
        LoginStage current = stage;
        if (transit) {
            stage = next;
        }
        send(ctx, request, transit, current, transit ? next : current, answer, 0, null);
    }

    private void checkConstantFields(LoginRequest r) throws LoginFailure {
        if (first == null) {
            if (r.versionMin() > VERSION) {
                throw new LoginFailure(LoginStatus.UNSUPPORTED_VERSION, "version-min " + r.versionMin());
            }
            return;
        }
        if (r.isid() != first.isid() || r.tsih() != first.tsih() || r.cid() != first.cid()
                || r.versionMax() != first.versionMax() || r.versionMin() != first.versionMin()
                || r.initiatorTaskTag() != first.initiatorTaskTag()) {
            throw new LoginFailure(LoginStatus.INVALID_DURING_LOGIN,
                    "ISID, TSIH, CID, ITT or version changed between Login Requests");
        }
    }

    private void appendText(LoginRequest r) throws LoginFailure {
        if (continued == null) {
            continued = Unpooled.compositeBuffer();
        }
        if (continued.readableBytes() + r.data().readableBytes() > MAX_LOGIN_TEXT) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "login text longer than " + MAX_LOGIN_TEXT);
        }
        continued.addComponent(true, r.data().retain());
    }

    private TextParameters text(LoginRequest r) throws LoginFailure {
        ByteBuf all = r.data();
        if (continued != null) {
            continued.addComponent(true, r.data().retain());
            all = continued;
        }
        try {
            return TextParameters.parse(all);
        } catch (TextFormatException e) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, e.getMessage());
        } finally {
            if (continued != null) {
                continued.release();
                continued = null;
            }
        }
    }

    /** First Login Request: who is logging in, to what, and may they. */
    private void identify(ChannelHandlerContext ctx, LoginRequest r, TextParameters keys) throws LoginFailure {
        initiatorName = keys.get("InitiatorName");
        if (initiatorName == null || initiatorName.isEmpty()) {
            throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "no InitiatorName");
        }
        if (initiatorName.codePoints().anyMatch(c -> hidden(c) || Character.isWhitespace(c))) {
            // An iSCSI name has no spaces, controls or invisible formatting (RFC 7143 section 4.2.7.2, RFC 3722's
            // stringprep); the name goes into every log line of the session, where such characters forge or hide.
            String shown = printable(initiatorName);
            initiatorName = null;
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "InitiatorName '" + shown
                    + "' has spaces or control characters");
        }
        String type = keys.get("SessionType");
        if (type != null && !type.equals("Normal") && !type.equals("Discovery")) {
            throw new LoginFailure(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=" + type);
        }
        discovery = "Discovery".equals(type);
        if (r.tsih() != 0) {
            joinSession(r);
        }
        InetAddress remote = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        InetAddress local = ((InetSocketAddress) ctx.channel().localAddress()).getAddress();
        List<ChapAccount> incoming;
        ChapAccount outgoing;
        TargetSettings settings;
        if (discovery) {
            incoming = catalog.discoveryIncoming();
            outgoing = catalog.discoveryOutgoing();
            settings = TargetSettings.defaults();
        } else if (joining != null) {
            target = joining.target();
            incoming = target.config().incoming();
            outgoing = target.config().outgoing();
            settings = target.config().settings();
        } else {
            String name = keys.get("TargetName");
            if (name == null || name.isEmpty()) {
                throw new LoginFailure(LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session");
            }
            target = catalog.target(name); // found whatever the case; the allow files name it as ietd.conf does
            if (target == null) {
                throw new LoginFailure(LoginStatus.NOT_FOUND, "no target " + name + " in ietd.conf");
            }
            if (!catalog.targetsAllow().allows(target.name(), local, null)) {
                // the initiator is told the target does not exist, as IET told it; the log says why
                throw new LoginFailure(LoginStatus.NOT_FOUND, hiddenByTargetsAllow(target.name(), local));
            }
            InitiatorAccess.Verdict access = catalog.initiatorAccess().verdict(target.name(), remote, initiatorName);
            if (!access.allowed()) {
                throw new LoginFailure(LoginStatus.AUTHORIZATION_FAILURE, access.refusal(initiatorName, remote, name));
            }
            int maxSessions = target.config().settings().number(TargetSetting.MAX_SESSIONS);
            if (maxSessions > 0 && catalog.sessions().countFor(target, initiatorName, r.isid()) >= maxSessions) {
                throw new LoginFailure(LoginStatus.OUT_OF_RESOURCES, "MaxSessions " + maxSessions + " reached for "
                        + name);
            }
            incoming = target.config().incoming();
            outgoing = target.config().outgoing();
            settings = target.config().settings();
        }
        authenticationRequired = !incoming.isEmpty();
        if (authenticationRequired) {
            chap = new ChapAuthenticator(incoming, outgoing);
        }
        negotiator = new Negotiator(targetValues(settings),
                settings.number(TargetSetting.MAX_XMIT_DATA_SEGMENT_LENGTH));
        negotiator.discovery(discovery);
        if (joining != null) {
            negotiator.nonLeading();
        }
        negotiator.declare(NegotiationKey.INITIATOR_NAME, initiatorName);
        if (!discovery) {
            negotiator.declare(NegotiationKey.TARGET_NAME, target.name());
        }
    }

    /**
     * Why targets.allow hides a target that exists from this portal, with the line to change (short: the failure
     * line already names the target, and the whole reason is cut at 300 characters).
     */
    private String hiddenByTargetsAllow(String target, InetAddress portal) {
        OptionalInt line = catalog.targetsAllow().consultedLine(target);
        String address = portal.getHostAddress();
        String where = line.isPresent() ? "targets.allow line " + line.getAsInt() + " does not list portal " + address
                + ": add it to that line" : "targets.allow has no line for it or ALL, so no portal offers it: add"
                + " a line 'TARGET " + address + "'";
        return "not offered on this portal (the initiator is told it does not exist, as by IET): " + where;
    }

    /**
     * A login with a TSIH adds a connection to that session (MC/S): same initiator port, and fewer connections
     * than the session's MaxConnections unless the CID is one in use (then it replaces that connection).
     */
    private void joinSession(LoginRequest r) throws LoginFailure {
        Session s = catalog.sessions().byTsih(r.tsih());
        if (s == null || s.isid() != r.isid() || !s.initiatorName().equals(initiatorName)) {
            throw new LoginFailure(LoginStatus.SESSION_DOES_NOT_EXIST, "no session with TSIH " + r.tsih()
                    + " for this initiator port");
        }
        if (s.discovery() != discovery) {
            throw new LoginFailure(LoginStatus.CANNOT_INCLUDE_IN_SESSION, "SessionType differs from TSIH "
                    + r.tsih() + "'s");
        }
        if (!s.hasConnection(r.cid()) && s.connectionCount() >= s.parameters().maxConnections()) {
            throw new LoginFailure(LoginStatus.TOO_MANY_CONNECTIONS, "session " + s.describe() + " has its "
                    + s.parameters().maxConnections() + " connection(s)");
        }
        joining = s;
    }

    private static Map<NegotiationKey, String> targetValues(TargetSettings s) {
        Map<NegotiationKey, String> v = new EnumMap<>(NegotiationKey.class);
        v.put(NegotiationKey.HEADER_DIGEST, s.digest(TargetSetting.HEADER_DIGEST));
        v.put(NegotiationKey.DATA_DIGEST, s.digest(TargetSetting.DATA_DIGEST));
        v.put(NegotiationKey.MAX_CONNECTIONS, Integer.toString(s.number(TargetSetting.MAX_CONNECTIONS)));
        v.put(NegotiationKey.INITIAL_R2T, s.flag(TargetSetting.INITIAL_R2T) ? "Yes" : "No");
        v.put(NegotiationKey.IMMEDIATE_DATA, s.flag(TargetSetting.IMMEDIATE_DATA) ? "Yes" : "No");
        v.put(NegotiationKey.MAX_RECV_DATA_SEGMENT_LENGTH,
                Integer.toString(s.number(TargetSetting.MAX_RECV_DATA_SEGMENT_LENGTH)));
        v.put(NegotiationKey.MAX_BURST_LENGTH, Integer.toString(s.number(TargetSetting.MAX_BURST_LENGTH)));
        v.put(NegotiationKey.FIRST_BURST_LENGTH, Integer.toString(s.number(TargetSetting.FIRST_BURST_LENGTH)));
        v.put(NegotiationKey.DEFAULT_TIME2WAIT, Integer.toString(s.number(TargetSetting.DEFAULT_TIME2WAIT)));
        v.put(NegotiationKey.DEFAULT_TIME2RETAIN, Integer.toString(s.number(TargetSetting.DEFAULT_TIME2RETAIN)));
        v.put(NegotiationKey.MAX_OUTSTANDING_R2T, Integer.toString(s.number(TargetSetting.MAX_OUTSTANDING_R2T)));
        v.put(NegotiationKey.DATA_PDU_IN_ORDER, "Yes");
        v.put(NegotiationKey.DATA_SEQUENCE_IN_ORDER, "Yes");
        v.put(NegotiationKey.ERROR_RECOVERY_LEVEL, "0");
        v.put(NegotiationKey.OF_MARKER, "No");
        v.put(NegotiationKey.IF_MARKER, "No");
        v.put(NegotiationKey.ISCSI_PROTOCOL_LEVEL, "1");
        v.put(NegotiationKey.TASK_REPORTING, "RFC3720");
        return v;
    }

    /** The security stage: AuthMethod, then the CHAP exchange. */
    private void security(TextParameters keys, List<Map.Entry<String, String>> answer) throws LoginFailure {
        String offered = keys.get("AuthMethod");
        if (offered != null) {
            if (authMethod != null) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "AuthMethod offered twice");
            }
            String wanted = authenticationRequired ? "CHAP" : "None";
            for (String m : offered.split(",")) {
                if (m.equals(wanted)) {
                    authMethod = wanted;
                }
            }
            if (authMethod == null) {
                answer.add(Map.entry("AuthMethod", "Reject"));
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "AuthMethod=" + offered + " but target "
                        + (authenticationRequired ? "requires CHAP" : "has no CHAP accounts"));
            }
            answer.add(Map.entry("AuthMethod", authMethod));
        }
        boolean chapKeys = keys.pairs().stream().anyMatch(e -> e.getKey().startsWith("CHAP_"));
        if (chapKeys) {
            if (!"CHAP".equals(authMethod)) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP keys without AuthMethod=CHAP");
            }
            if (authenticated) {
                throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "CHAP keys after authentication finished");
            }
            ChapStep step = chap.step(keys);
            if (step.outcome() == ChapStep.Outcome.FAILED) {
                throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, step.failure());
            }
            answer.addAll(step.answer());
            if (step.outcome() == ChapStep.Outcome.SUCCEEDED) {
                authenticated = true;
            }
        }
    }

    private boolean securityDone() throws LoginFailure {
        if (!authenticationRequired) {
            return true;
        }
        if (authMethod == null) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "target requires CHAP; none offered");
        }
        return authenticated;
    }

    private void finish(ChannelHandlerContext ctx, LoginRequest r, List<Map.Entry<String, String>> answer)
            throws LoginFailure {
        if (authenticationRequired && !authenticated) {
            throw new LoginFailure(LoginStatus.AUTHENTICATION_FAILURE, "full feature phase requested before CHAP");
        }
        int nopInterval = discovery ? 0 : target.config().settings().number(TargetSetting.NOP_INTERVAL);
        int nopTimeout = discovery ? 0 : target.config().settings().number(TargetSetting.NOP_TIMEOUT);
        Session session;
        SessionParameters parameters;
        if (joining != null) {
            session = joining;
            parameters = negotiator.connectionParameters(session.parameters());
        } else {
            if (!discovery && catalog.target(target.name()) != target) {
                throw new LoginFailure(LoginStatus.TARGET_REMOVED, "target " + target.name() + " was removed");
            }
            parameters = negotiator.parameters();
            int queueDepth = discovery ? 1 : target.config().settings().number(TargetSetting.QUEUED_COMMANDS);
            String targetPort = (discovery ? "discovery" : target.name()) + ",t,0x"
                    + String.format("%04x", TargetCatalog.PORTAL_GROUP_TAG);
            session = new Session(initiatorName, r.isid(), catalog.sessions().allocateTsih(), target, parameters,
                    new ItNexus(Session.initiatorPortName(initiatorName, r.isid()), targetPort),
                    new CommandWindow(r.cmdSn(), queueDepth));
        }
        int cid = r.cid();
        send(ctx, r, true, stage, LoginStage.FULL_FEATURE_PHASE, answer, session.tsih(),
                () -> enterFullFeature(ctx, session, parameters, cid, nopInterval, nopTimeout));
    }

    /** After the last Login Response: the session goes live and the connection gets its full feature handler. */
    private void enterFullFeature(ChannelHandlerContext ctx, Session session, SessionParameters parameters, int cid,
                                  int nopInterval, int nopTimeout) {
        // Digests and the negotiated receive limit start with the first PDU after this response.
        frameSettings.digests(parameters.headerDigest(), parameters.dataDigest());
        frameSettings.maxRecvDataSegmentLength(parameters.maxRecvDataSegmentLength());
        finished = true;
        catalog.logins().succeeded();
        Session reinstated = joining == null ? catalog.sessions().register(session) : null;
        LOG.log(catalog.sessionLogLevel(), "login: {} from {}{}{} (HeaderDigest={}, DataDigest={}, MaxRecv={},"
                        + " MaxXmit={}, MaxBurst={}, FirstBurst={}, ImmediateData={}, InitialR2T={},"
                        + " MaxConnections={})",
                session.describe(), ctx.channel().remoteAddress(), joining != null ? " adds CID " + cid : "",
                chap != null ? " CHAP user " + chap.authenticatedUser() + " (" + chap.algorithm()
                        + (chap.mutualAs() != null ? ", mutual as " + chap.mutualAs() : "") + ")" : "",
                parameters.headerDigest() ? "CRC32C" : "None", parameters.dataDigest() ? "CRC32C" : "None",
                parameters.maxRecvDataSegmentLength(), parameters.maxXmitDataSegmentLength(),
                parameters.maxBurstLength(), parameters.firstBurstLength(), parameters.immediateData(),
                parameters.initialR2T(), parameters.maxConnections());
        if (reinstated != null) {
            LOG.info("session reinstatement: {} replaces TSIH {}", session.describe(), reinstated.tsih());
            reinstated.close();
        }
        ctx.pipeline().replace(this, "full-feature", new FullFeatureHandler(session, parameters, catalog, cid,
                statSn, nopInterval, nopTimeout));
    }

    private void send(ChannelHandlerContext ctx, LoginRequest r, boolean transit, LoginStage current,
                      LoginStage next, List<Map.Entry<String, String>> keys, int tsih, Runnable afterLast) {
        lastAnswer = describe(keys);
        // During login both sides assume the default MaxRecvDataSegmentLength (RFC 7143 section 13.12).
        pending = new PendingResponse(new OutgoingText(TextParameters.of(keys).encode(),
                FrameSettings.DEFAULT_MAX_RECV_DATA_SEGMENT_LENGTH), r, transit, current, next, tsih, afterLast);
        sendSegment(ctx, r);
    }

    /** Sends the next PDU of the pending response: C=1 while text remains, the real T, NSG and TSIH on the last. */
    private void sendSegment(ChannelHandlerContext ctx, LoginRequest r) {
        PendingResponse p = pending;
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

    /** RFC 7143 section 6.1: an initiator answers a Login Response with C=1 by an empty Login Request. */
    private void continueResponse(ChannelHandlerContext ctx, LoginRequest r) throws LoginFailure {
        if (r.data().isReadable() || r.continueFlag() || r.transit()) {
            throw new LoginFailure(LoginStatus.INITIATOR_ERROR, "Login Request with text, C or T while the target's"
                    + " Login Response continues (RFC 7143 section 6.1 wants an empty request)");
        }
        sendSegment(ctx, r);
    }

    /** The keys of an answer for a log line: CHAP values shortened (they are long and say nothing to a reader). */
    private static String describe(List<Map.Entry<String, String>> keys) {
        if (keys.isEmpty()) {
            return "no keys";
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : keys) {
            String v = e.getValue();
            b.append(b.isEmpty() ? "" : " ").append(e.getKey()).append('=')
                    .append(v.length() > 24 ? v.substring(0, 20) + "..." : v);
        }
        return b.toString();
    }

    /**
     * Text from the wire made safe for one log line: controls and invisible formatting characters (bidirectional
     * overrides, zero-width spaces) shown as '?', at most 300 characters.
     */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 300));
        s.codePoints().limit(300).forEach(c -> b.appendCodePoint(hidden(c) ? '?' : c));
        return s.codePointCount(0, s.length()) > 300 ? b + "..." : b.toString();
    }

    /** Characters that change or hide what a log line shows: controls, formatting, line and paragraph breaks. */
    private static boolean hidden(int codePoint) {
        int type = Character.getType(codePoint);
        return Character.isISOControl(codePoint) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    private void fail(ChannelHandlerContext ctx, LoginFailure f, long isid, int itt, LoginStage current, int cmdSn) {
        LOG.warn("login failed: {} from {}{} ({}): {}", initiatorName != null ? initiatorName : "initiator",
                ctx.channel().remoteAddress(), discovery ? " (discovery)" : target != null ? " to " + target.name()
                        : "", f.status(), printable(f.getMessage()));
        failed = true;
        if (pending != null) {
            pending.text().close();
            pending = null;
        }
        catalog.logins().failed(f.status());
        ctx.writeAndFlush(new LoginResponse(false, false, current, current, VERSION, VERSION, isid, 0, itt, statSn++,
                cmdSn, cmdSn, f.status().statusClass(), f.status().detail(), Unpooled.EMPTY_BUFFER))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("connection from {} failed during login: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
