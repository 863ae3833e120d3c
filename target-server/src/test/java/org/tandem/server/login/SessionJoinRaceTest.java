package org.tandem.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;

/**
 * A connection that joins a session (MC/S, RFC 7143 section 6.3) is checked against the session when its first
 * Login Request arrives; the session may change before the login ends. What held then must still hold when the
 * connection enters full feature phase: the session must still exist (else the connection lives on in a session the
 * target no longer knows: no reload, target removal or admin request reaches it, and its I_T nexus was already
 * declared lost), and it must still have room under its MaxConnections. Likewise a new session counts against its
 * target's MaxSessions when it is created, not only when its login began.
 */
class SessionJoinRaceTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:join";
    private static final String INITIATOR = "iqn.2026-11.org.tandem.test:host";
    private static final long ISID = 0x23d000000007L;

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, """
                Target %s
                    MaxConnections 2
                    Lun 0 Type=nullio,Blocks=2048
                Target %s-one
                    MaxSessions 1
                    Lun 0 Type=nullio,Blocks=2048
                """.formatted(TARGET, TARGET));
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
    }

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        catalog.close();
    }

    private EmbeddedChannel portal() {
        EmbeddedChannel ch = PortalChannel.open();
        ch.pipeline().addLast(new LoginHandler(catalog, new FrameSettings()));
        channels.add(ch);
        return ch;
    }

    private static LoginResponse exchange(EmbeddedChannel ch, boolean transit, LoginStage next, int tsih, int cid,
                                          Map<String, String> keys) {
        return exchange(ch, ISID, transit, next, tsih, cid, keys);
    }

    private static LoginResponse exchange(EmbeddedChannel ch, long isid, boolean transit, LoginStage next, int tsih,
                                          int cid, Map<String, String> keys) {
        ByteBuf text = TextParameters.of(new ArrayList<>(keys.entrySet())).encode();
        ch.writeInbound(new LoginRequest(transit, false, LOGIN_OPERATIONAL_NEGOTIATION, next, 0, 0, isid, tsih,
                0x40 + cid, cid, 1, 0, text));
        ch.runPendingTasks();
        Object o = ch.readOutbound();
        assertThat(o).as("a Login Response").isInstanceOf(LoginResponse.class);
        return (LoginResponse) o;
    }

    /** The leading login: a session of MaxConnections 2 with its connection CID 0; returns its TSIH. */
    private int leadingLogin(EmbeddedChannel ch) {
        LoginResponse r = exchange(ch, true, FULL_FEATURE_PHASE, 0, 0, Map.of("InitiatorName", INITIATOR,
                "TargetName", TARGET, "MaxConnections", "2"));
        r.release();
        assertThat(r.statusClass()).isZero();
        assertThat(catalog.sessions().byTsih(r.tsih()).parameters().maxConnections()).isEqualTo(2);
        return r.tsih();
    }

    /** A join's first Login Request: stays in the operational stage; the session checks pass here. */
    private static void startJoin(EmbeddedChannel ch, int tsih, int cid) {
        LoginResponse r = exchange(ch, false, LOGIN_OPERATIONAL_NEGOTIATION, tsih, cid,
                Map.of("InitiatorName", INITIATOR, "SessionType", "Normal"));
        r.release();
        assertThat(r.statusClass()).as("first request of the join accepted").isZero();
    }

    private static LoginResponse finishJoin(EmbeddedChannel ch, int tsih, int cid) {
        return exchange(ch, true, FULL_FEATURE_PHASE, tsih, cid, Map.of());
    }

    private static String status(LoginResponse r) {
        r.release();
        return r.statusClass() + "/" + r.statusDetail();
    }

    private static String status(LoginStatus s) {
        return s.statusClass() + "/" + s.detail();
    }

    @Test
    void twoJoinsThatStartTogetherDoNotTakeTheSessionPastItsMaxConnections() {
        int tsih = leadingLogin(portal());
        EmbeddedChannel a = portal();
        EmbeddedChannel b = portal();
        startJoin(a, tsih, 1);
        startJoin(b, tsih, 2);
        assertThat(status(finishJoin(a, tsih, 1))).isEqualTo("0/0");
        Session session = catalog.sessions().byTsih(tsih);
        assertThat(session.connectionCount()).isEqualTo(2);

        LoginResponse third = finishJoin(b, tsih, 2);
        assertThat(status(third)).as("the third connection of a session of MaxConnections 2")
                .isEqualTo(status(LoginStatus.TOO_MANY_CONNECTIONS));
        b.runPendingTasks();
        assertThat(session.connectionCount()).isEqualTo(2);
    }

    @Test
    void aJoinWhoseSessionEndedDuringItsLoginDoesNotLiveOnInAnUnknownSession() {
        EmbeddedChannel leading = portal();
        int tsih = leadingLogin(leading);
        Session session = catalog.sessions().byTsih(tsih);
        EmbeddedChannel a = portal();
        startJoin(a, tsih, 1);

        leading.close(); // the session's only connection ends: the session ends with it
        leading.runPendingTasks();
        assertThat(catalog.sessions().byTsih(tsih)).as("the session is gone").isNull();

        LoginResponse r = finishJoin(a, tsih, 1);
        String s = status(r);
        a.runPendingTasks();
        assertThat(s.equals(status(LoginStatus.SESSION_DOES_NOT_EXIST)) || !a.isActive())
                .as("status %s, channel active %s, connections of the ended session %s", s, a.isActive(),
                        session.connectionCount())
                .isTrue();
        assertThat(a.isActive()).as("no connection in a session the target no longer knows").isFalse();
    }

    @Test
    void twoNewSessionsThatStartTogetherDoNotPassTheTargetsMaxSessions() {
        EmbeddedChannel a = portal();
        EmbeddedChannel b = portal();
        Map<String, String> keys = Map.of("InitiatorName", INITIATOR, "TargetName", TARGET + "-one");
        // Two initiator ports (ISIDs) of one host, each with its first Login Request: neither session exists yet.
        assertThat(status(exchange(a, 0x23d000000010L, false, LOGIN_OPERATIONAL_NEGOTIATION, 0, 0, keys)))
                .isEqualTo("0/0");
        assertThat(status(exchange(b, 0x23d000000011L, false, LOGIN_OPERATIONAL_NEGOTIATION, 0, 0, keys)))
                .isEqualTo("0/0");
        assertThat(status(exchange(a, 0x23d000000010L, true, FULL_FEATURE_PHASE, 0, 0, Map.of())))
                .isEqualTo("0/0");

        LoginResponse second = exchange(b, 0x23d000000011L, true, FULL_FEATURE_PHASE, 0, 0, Map.of());
        assertThat(status(second)).as("a second session of a target of MaxSessions 1")
                .isEqualTo(status(LoginStatus.OUT_OF_RESOURCES));
        assertThat(catalog.sessions().all()).hasSize(1);
    }
}
