package org.tandem.server.login;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.server.negotiation.IscsiKey;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.connection.FullFeatureHandler;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

/**
 * The end of a successful login (RFC 7143 sections 5.3.5 and 6.3): a new session with its TSIH, I_T nexus and
 * command window, or the session a connection joins; then, after the last Login Response, the session goes live:
 * registered (reinstating an older one of the same initiator port, section 6.3.5), digests and the negotiated
 * receive limit switched on, and the connection handed to its {@link FullFeatureHandler}.
 */
final class SessionInstantiation {
    private static final Logger LOG = LogManager.getLogger(LoginHandler.class);

    /** A session ready to go live on this connection, with what its full feature handler needs. */
    record Instantiated(Session session, SessionParameters parameters, boolean joined, int cid, int nopInterval,
                        int nopTimeout) {
    }

    private SessionInstantiation() {
    }

    /**
     * The session this login ends in.
     *
     * @throws LoginFailure TARGET_REMOVED when a reload removed the target during the login, OUT_OF_RESOURCES when
     *                      another login reached MaxSessions meanwhile; for a join, what
     *                      {@link SessionJoin} refuses now (the session ended or filled up since the first request)
     */
    static Instantiated instantiate(TargetCatalog catalog, Identification id, OperationalStage operational,
                                    LoginRequest r) throws LoginFailure {
        boolean discovery = id.discovery();
        int nopInterval = discovery ? 0 : id.target().config().settings().number(IscsiKey.NOP_INTERVAL);
        int nopTimeout = discovery ? 0 : id.target().config().settings().number(IscsiKey.NOP_TIMEOUT);
        if (id.joining() != null) {
            // The join was checked at the login's first request; the session may have ended or filled up since.
            Session session = SessionJoin.join(catalog.sessions(), r, id.initiatorName(), discovery);
            if (session != id.joining()) {
                throw new LoginFailure(LoginStatus.SESSION_DOES_NOT_EXIST, "session TSIH " + r.tsih()
                        + " ended during the login");
            }
            return new Instantiated(session, operational.connectionParameters(session.parameters()), true, r.cid(),
                    nopInterval, nopTimeout);
        }
        if (!discovery && catalog.target(id.target().name()) != id.target()) {
            throw new LoginFailure(LoginStatus.TARGET_REMOVED, "target " + id.target().name() + " was removed");
        }
        if (!discovery) {
            // Checked at the first request too; another login may have made its session since.
            SessionJoin.checkMaxSessions(catalog.sessions(), id.target(), id.initiatorName(), r.isid());
        }
        SessionParameters parameters = operational.sessionParameters();
        int queueDepth = discovery ? 1 : id.target().config().settings().number(IscsiKey.QUEUED_COMMANDS);
        String targetPort = (discovery ? "discovery" : id.target().name()) + ",t,0x"
                + String.format("%04x", TargetCatalog.PORTAL_GROUP_TAG);
        Session session = new Session(id.initiatorName(), r.isid(), catalog.sessions().allocateTsih(), id.target(),
                parameters, new ItNexus(Session.initiatorPortName(id.initiatorName(), r.isid()), targetPort),
                new CommandWindow(r.cmdSn(), queueDepth));
        return new Instantiated(session, parameters, false, r.cid(), nopInterval, nopTimeout);
    }

    /**
     * After the last Login Response: the session goes live and {@code login} gives way to the full feature handler.
     *
     * @param chapUser " CHAP user ..." for the login line, or ""
     * @param statSn   the StatSN of full feature phase's first response
     */
    static void enterFullFeature(ChannelHandlerContext ctx, ChannelHandler login, TargetCatalog catalog,
                                 FrameSettings frameSettings, Instantiated s, String chapUser, int statSn) {
        SessionParameters parameters = s.parameters();
        Session session = s.session();
        // Digests and the negotiated receive limit start with the first PDU after this response.
        frameSettings.digests(parameters.headerDigest(), parameters.dataDigest());
        frameSettings.maxRecvDataSegmentLength(parameters.maxRecvDataSegmentLength());
        catalog.logins().succeeded();
        Session reinstated = s.joined() ? null : catalog.sessions().register(session);
        Level level = catalog.sessionLogLevel();
        LOG.log(level, "login: {} from {}{}{} (HeaderDigest={}, DataDigest={}, MaxRecv={},"
                        + " MaxXmit={}, MaxBurst={}, FirstBurst={}, ImmediateData={}, InitialR2T={},"
                        + " MaxConnections={})",
                session.describe(), ctx.channel().remoteAddress(), s.joined() ? " adds CID " + s.cid() : "", chapUser,
                parameters.headerDigest() ? "CRC32C" : "None", parameters.dataDigest() ? "CRC32C" : "None",
                parameters.maxRecvDataSegmentLength(), parameters.maxXmitDataSegmentLength(),
                parameters.maxBurstLength(), parameters.firstBurstLength(), parameters.immediateData(),
                parameters.initialR2T(), parameters.maxConnections());
        if (reinstated != null) {
            LOG.info("session reinstatement: {} replaces TSIH {}", session.describe(), reinstated.tsih());
            reinstated.close();
            // The old session's I_T nexus ends now, before the new session (the same nexus) runs a command; its
            // connections close later on their own loops and then leave the nexus alone.
            reinstated.nexusLost();
        }
        ctx.pipeline().replace(login, "full-feature", new FullFeatureHandler(session, parameters, catalog, s.cid(),
                statSn, s.nopInterval(), s.nopTimeout()));
    }
}
