package org.tandem.server.login;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.scsi.sam.ItNexus;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.negotiation.SessionParameters;
import org.tandem.server.session.CommandWindow;
import org.tandem.server.session.Session;
import org.tandem.server.session.TargetCatalog;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who logs in, to what, and may they: RFC 7143 section 11.12 (InitiatorName, SessionType, TargetName in the first
 * request), the Login Response statuses of section 11.13.5 for each refusal, IET's targets.allow (a hidden target
 * does not exist), initiators.allow and MaxSessions, and joining an existing session by its TSIH (section 6.3).
 */
class IdentificationTest {
    private static final String OPEN = "iqn.2026-11.org.tandem.test:open";
    private static final String HIDDEN = "iqn.2026-11.org.tandem.test:hidden";
    private static final String GUARDED = "iqn.2026-11.org.tandem.test:guarded";
    private static final String CHAP = "iqn.2026-11.org.tandem.test:chap";
    private static final String INITIATOR = "iqn.2026-11.org.tandem.test:host";
    private static final long ISID = 0x23d000000001L;

    @TempDir
    Path dir;
    private TargetCatalog catalog;
    private final InetAddress portal = InetAddress.getLoopbackAddress();
    private InetAddress initiator;

    @BeforeEach
    void open() throws Exception {
        initiator = InetAddress.getByName("192.0.2.9");
        Files.writeString(dir.resolve("ietd.conf"), """
                Target %s
                    MaxSessions 1
                    Lun 0 Type=nullio,Blocks=64
                Target %s
                    Lun 0 Type=nullio,Blocks=64
                Target %s
                    Lun 0 Type=nullio,Blocks=64
                Target %s
                    IncomingUser joe secretsecret12
                    Lun 0 Type=nullio,Blocks=64
                """.formatted(OPEN, HIDDEN, GUARDED, CHAP));
        Files.writeString(dir.resolve("targets.allow"), HIDDEN + " 10.0.0.1\nALL ALL\n");
        Files.writeString(dir.resolve("initiators.allow"), GUARDED + " 10.9.9.9\nALL ALL\n");
        catalog = TargetCatalog.open(IetdConfParser.read(dir.resolve("ietd.conf")), Runnable::run);
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private static LoginRequest first(int tsih) {
        return new LoginRequest(false, false, LoginStage.SECURITY_NEGOTIATION, LoginStage.SECURITY_NEGOTIATION, 0, 0,
                ISID, tsih, 1, 0, 1, 0, Unpooled.EMPTY_BUFFER);
    }

    private static TextParameters keys(String text) throws Exception {
        return TextParameters.parse(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private Identification identify(int tsih, String text) throws Exception {
        Identification id = new Identification(catalog);
        id.identify(first(tsih), keys(text), portal, initiator);
        return id;
    }

    private void assertRefused(LoginStatus status, String message, int tsih, String text) {
        Identification id = new Identification(catalog);
        assertThatThrownBy(() -> id.identify(first(tsih), keys(text), portal, initiator))
                .isInstanceOf(LoginFailure.class).hasMessageContaining(message)
                .extracting(e -> ((LoginFailure) e).status()).isEqualTo(status);
    }

    @Test
    void aNormalSessionFindsItsTargetWhateverTheCaseAndTakesItsAccounts() throws Exception {
        Identification id = identify(0, "InitiatorName=" + INITIATOR + "\0TargetName=" + CHAP.toUpperCase() + "\0");
        assertThat(id.target().name()).isEqualTo(CHAP);
        assertThat(id.discovery()).isFalse();
        assertThat(id.incoming()).hasSize(1);
        assertThat(id.describe("/192.0.2.9:5000")).isEqualTo(INITIATOR + " from /192.0.2.9:5000 to " + CHAP);
    }

    @Test
    void aDiscoverySessionNeedsNoTarget() throws Exception {
        Identification id = identify(0, "InitiatorName=" + INITIATOR + "\0SessionType=Discovery\0");
        assertThat(id.discovery()).isTrue();
        assertThat(id.target()).isNull();
        assertThat(id.describe("x")).isEqualTo(INITIATOR + " from x (discovery)");
    }

    @Test
    void missingNamesAndUnknownSessionTypesAreRefusedWithTheirStatus() {
        assertRefused(LoginStatus.MISSING_PARAMETER, "no InitiatorName", 0, "TargetName=" + OPEN + "\0");
        assertRefused(LoginStatus.MISSING_PARAMETER, "no TargetName in a normal session", 0,
                "InitiatorName=" + INITIATOR + "\0");
        assertRefused(LoginStatus.SESSION_TYPE_NOT_SUPPORTED, "SessionType=Boot", 0,
                "InitiatorName=" + INITIATOR + "\0SessionType=Boot\0");
        assertRefused(LoginStatus.NOT_FOUND, "no target iqn.2026-11.org.tandem.test:none in ietd.conf", 0,
                "InitiatorName=" + INITIATOR + "\0TargetName=iqn.2026-11.org.tandem.test:none\0");
    }

    @Test
    void anInitiatorNameThatCouldForgeALogLineIsRefusedAndForgotten() throws Exception {
        Identification id = new Identification(catalog);
        assertThatThrownBy(() -> id.identify(first(0), keys("InitiatorName=iqn.x\nWARN y\0"), portal, initiator))
                .hasMessage("InitiatorName 'iqn.x?WARN y' has spaces or control characters");
        assertThat(id.initiatorName()).as("the log line says 'initiator', not the name").isNull();
    }

    @Test
    void aTargetHiddenFromThisPortalByTargetsAllowDoesNotExistForTheInitiator() {
        assertRefused(LoginStatus.NOT_FOUND, "targets.allow line 1 does not list portal 127.0.0.1: add it to that"
                + " line", 0, "InitiatorName=" + INITIATOR + "\0TargetName=" + HIDDEN + "\0");
    }

    @Test
    void anInitiatorThatInitiatorsAllowDoesNotListIsNotAuthorized() {
        assertRefused(LoginStatus.AUTHORIZATION_FAILURE, "", 0,
                "InitiatorName=" + INITIATOR + "\0TargetName=" + GUARDED + "\0");
    }

    @Test
    void maxSessionsCountsTheInitiatorsOtherSessions() throws Exception {
        Identification id = identify(0, "InitiatorName=" + INITIATOR + "\0TargetName=" + OPEN + "\0");
        catalog.sessions().register(session(id, 0x23d000000002L, 1));
        assertRefused(LoginStatus.OUT_OF_RESOURCES, "MaxSessions 1 reached for " + OPEN, 0,
                "InitiatorName=" + INITIATOR + "\0TargetName=" + OPEN + "\0");
    }

    @Test
    void aLoginWithATsihJoinsThatSessionOfTheSameInitiatorPort() throws Exception {
        Identification id = identify(0, "InitiatorName=" + INITIATOR + "\0TargetName=" + OPEN + "\0");
        Session s = session(id, ISID, 2);
        catalog.sessions().register(s);
        Identification join = identify(s.tsih(), "InitiatorName=" + INITIATOR + "\0");
        assertThat(join.joining()).isSameAs(s);
        assertThat(join.target()).isSameAs(s.target());
        assertRefused(LoginStatus.SESSION_DOES_NOT_EXIST, "no session with TSIH 999", 999,
                "InitiatorName=" + INITIATOR + "\0");
        assertRefused(LoginStatus.CANNOT_INCLUDE_IN_SESSION, "SessionType differs", s.tsih(),
                "InitiatorName=" + INITIATOR + "\0SessionType=Discovery\0");
    }

    @Test
    void aSessionWithAllItsConnectionsTakesNoMore() throws Exception {
        Identification id = identify(0, "InitiatorName=" + INITIATOR + "\0TargetName=" + OPEN + "\0");
        Session full = session(id, ISID, 0);
        catalog.sessions().register(full);
        assertRefused(LoginStatus.TOO_MANY_CONNECTIONS, "has its 0 connection(s)", full.tsih(),
                "InitiatorName=" + INITIATOR + "\0");
    }

    /** A session of {@code id}'s target for this initiator port, with this MaxConnections. */
    private Session session(Identification id, long isid, int maxConnections) {
        SessionParameters p = new SessionParameters(false, INITIATOR, null, OPEN, false, false, maxConnections, true,
                true, 8192,
                8192, 262144, 65536, 2, 20, 1, 0);
        return new Session(INITIATOR, isid, catalog.sessions().allocateTsih(), id.target(), p,
                new ItNexus(Session.initiatorPortName(INITIATOR, isid), OPEN + ",t,0x0001"), new CommandWindow(1, 8));
    }
}
