package org.tandem.server.login;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandem.iscsi.codec.FrameSettings;
import org.tandem.iscsi.codec.InvalidPdu;
import org.tandem.iscsi.pdu.LoginRequest;
import org.tandem.iscsi.pdu.LoginResponse;
import org.tandem.iscsi.pdu.LoginStatus;
import org.tandem.iscsi.pdu.LoginStage;
import org.tandem.iscsi.pdu.NopOut;
import org.tandem.iscsi.pdu.RejectReason;
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.CapturedLog;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.session.TargetCatalog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tandem.iscsi.pdu.LoginStage.FULL_FEATURE_PHASE;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * The login state machine PDU by PDU on an EmbeddedChannel: which keys each stage may carry (what open-iscsi
 * checks), responses longer than one PDU, and a Login Response for every kind of bad input.
 */
class LoginHandlerTest {
    private static final String TARGET = "iqn.2026-11.org.tandem.test:login";
    private static final String INITIATOR = "iqn.2026-11.org.tandem.test:host";
    private static final long ISID = 0x23d000000001L;
    private static final int ITT = 0x1234;
    /** What RFC 7143 section 13 lets a target send while CSG is the security stage. */
    private static final Set<String> SECURITY_STAGE_KEYS = Set.of("AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C",
            "CHAP_N", "CHAP_R", "TargetAlias", "TargetPortalGroupTag", "TargetAddress");

    @TempDir
    Path dir;

    private TargetCatalog catalog;
    private EmbeddedChannel channel;

    @BeforeEach
    void start() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, """
                Target %s
                    IncomingUser joe secretsecret12
                    OutgoingUser tgt targetsecret34
                    Lun 0 Type=nullio,Blocks=2048
                Target %s-open
                    Lun 0 Type=nullio,Blocks=2048
                Target Storage.Disk-Loose
                    Lun 0 Type=nullio,Blocks=2048
                """.formatted(TARGET, TARGET));
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
        channel = PortalChannel.open();
        channel.pipeline().addLast(new LoginHandler(catalog, new FrameSettings()));
    }

    @AfterEach
    void stop() {
        channel.finishAndReleaseAll();
        catalog.close();
    }

    @Test
    void chapLoginSendsNoOperationalKeyWhileInTheSecurityStage() throws Exception {
        List<Map<String, String>> security = new ArrayList<>();
        LoginResponse r = exchange(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, keys(
                "InitiatorName", INITIATOR, "SessionType", "Normal", "TargetName", TARGET, "AuthMethod", "CHAP,None"));
        assertSecurityStage(r);
        Map<String, String> first = text(r);
        security.add(first);
        assertThat(first).containsEntry("AuthMethod", "CHAP").containsEntry("TargetPortalGroupTag", "1");
        r = exchange(false, SECURITY_NEGOTIATION, SECURITY_NEGOTIATION, keys("CHAP_A", "5"));
        assertSecurityStage(r);
        Map<String, String> challenge = text(r);
        security.add(challenge);
        assertThat(challenge).containsEntry("CHAP_A", "5").containsKeys("CHAP_I", "CHAP_C");
        byte[] response = md5((byte) Integer.parseInt(challenge.get("CHAP_I")), "secretsecret12",
                HexFormat.of().parseHex(challenge.get("CHAP_C").substring(2)));
        // open-iscsi's first transit request: the CHAP answer with T=1, NSG=operational.
        r = exchange(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, keys("CHAP_N", "joe",
                "CHAP_R", "0x" + HexFormat.of().formatHex(response)));
        assertSecurityStage(r);
        assertThat(r.transit()).isTrue();
        assertThat(r.nextStage()).isEqualTo(LOGIN_OPERATIONAL_NEGOTIATION);
        security.add(text(r));
        assertThat(security).allSatisfy(keys -> assertThat(SECURITY_STAGE_KEYS).containsAll(keys.keySet()));

        r = exchange(true, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, keys("HeaderDigest", "None",
                "DataDigest", "None", "MaxRecvDataSegmentLength", "262144", "ImmediateData", "Yes"));
        Map<String, String> operational = text(r);
        assertThat(r.statusClass()).isZero();
        assertThat(r.transit()).isTrue();
        assertThat(r.nextStage()).isEqualTo(FULL_FEATURE_PHASE);
        assertThat(r.tsih()).isNotZero();
        assertThat(operational).containsKey("MaxRecvDataSegmentLength").containsEntry("HeaderDigest", "None");
    }

    @Test
    void aTargetNameIetAcceptedIsFoundWhateverTheCaseTheInitiatorSends() throws Exception {
        // not an iqn. name, and mixed case: IET took it; names compare case-insensitively (RFC 3722)
        LoginResponse r = exchange(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, keys("InitiatorName", INITIATOR,
                "TargetName", "storage.disk-loose", "AuthMethod", "None"));
        assertThat(r.statusClass()).isZero();
        assertThat(r.nextStage()).isEqualTo(FULL_FEATURE_PHASE);
        r.release();
        assertThat(catalog.target("STORAGE.DISK-LOOSE").name()).isEqualTo("Storage.Disk-Loose");
    }

    @Test
    void aLoginThatSkipsTheOperationalStageDeclaresNothingThere() throws Exception {
        LoginResponse r = exchange(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, keys("InitiatorName", INITIATOR,
                "TargetName", TARGET + "-open", "AuthMethod", "None"));
        assertThat(r.statusClass()).isZero();
        assertThat(r.nextStage()).isEqualTo(FULL_FEATURE_PHASE);
        assertThat(text(r).keySet()).containsExactlyInAnyOrder("AuthMethod", "TargetPortalGroupTag");
    }

    @Test
    void aLoginRefusedByInitiatorsDenySaysSoInOneLogLine() throws Exception {
        Files.writeString(dir.resolve("initiators.deny"), "ALL ALL\n");
        Files.writeString(dir.resolve("initiators.allow"), TARGET + "-open iqn\\.2026-11\\.org\\.other:.*\n");
        catalog.global(IetdConfParser.read(dir.resolve("ietd.conf")));
        try (CapturedLog log = new CapturedLog(LoginHandler.class)) {
            LoginResponse r = exchange(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, keys("InitiatorName", INITIATOR,
                    "TargetName", TARGET + "-open", "AuthMethod", "None"));
            assertThat(r.statusClass()).isEqualTo(LoginStatus.AUTHORIZATION_FAILURE.statusClass());
            assertThat(r.statusDetail()).isEqualTo(LoginStatus.AUTHORIZATION_FAILURE.detail());
            assertThat(log.lines()).hasSize(1);
            assertThat(log.lines().get(0)).startsWith("WARN login failed: " + INITIATOR)
                    .endsWith(": initiators.deny refuses " + INITIATOR + " from 127.0.0.1 to " + TARGET
                            + "-open, and initiators.allow does not allow it");
        }
    }

    @Test
    void aTargetHiddenByTargetsAllowIsNotFoundForTheInitiatorAndNamedInTheLog() throws Exception {
        Files.writeString(dir.resolve("targets.allow"), "# portals per target\n" + TARGET + "-open 10.9.9.1\n");
        catalog.global(IetdConfParser.read(dir.resolve("ietd.conf")));
        try (CapturedLog log = new CapturedLog(LoginHandler.class)) {
            LoginResponse r = exchange(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, keys("InitiatorName", INITIATOR,
                    "TargetName", TARGET + "-open", "AuthMethod", "None"));
            // as IET: the initiator learns only that there is no such target here
            assertThat(r.statusClass()).isEqualTo(LoginStatus.NOT_FOUND.statusClass());
            assertThat(r.statusDetail()).isEqualTo(LoginStatus.NOT_FOUND.detail());
            r.release();
            assertThat(log.warnings()).singleElement().asString().endsWith(" to " + TARGET + "-open (0203 target not"
                    + " found): not offered on this portal (the initiator is told it does not exist, as by IET):"
                    + " targets.allow line 2 does not list portal 127.0.0.1: add it to that line");
        }
    }

    @Test
    void aTargetWithoutAnyTargetsAllowLineSaysSo() throws Exception {
        Files.writeString(dir.resolve("targets.allow"), TARGET + " 127.0.0.1\n");
        catalog.global(IetdConfParser.read(dir.resolve("ietd.conf")));
        try (CapturedLog log = new CapturedLog(LoginHandler.class)) {
            exchange(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, keys("InitiatorName", INITIATOR,
                    "TargetName", TARGET + "-open", "AuthMethod", "None")).release();
            assertThat(log.warnings()).singleElement().asString()
                    .endsWith(" to " + TARGET + "-open (0203 target not found): not offered on this portal (the"
                            + " initiator is told it does not exist, as by IET): targets.allow has no line for it or"
                            + " ALL, so no portal offers it: add a line 'TARGET 127.0.0.1'");
        }
    }

    @Test
    void aTargetThatDoesNotExistIsNotBlamedOnTargetsAllow() throws Exception {
        try (CapturedLog log = new CapturedLog(LoginHandler.class)) {
            LoginResponse r = exchange(true, SECURITY_NEGOTIATION, FULL_FEATURE_PHASE, keys("InitiatorName", INITIATOR,
                    "TargetName", TARGET + "-missing", "AuthMethod", "None"));
            assertThat(r.statusClass()).isEqualTo(LoginStatus.NOT_FOUND.statusClass());
            r.release();
            assertThat(log.warnings()).singleElement().asString()
                    .endsWith("no target " + TARGET + "-missing in ietd.conf").doesNotContain("targets.allow");
        }
    }

    @Test
    void aResponseLongerThanOnePduIsContinuedWhenTheInitiatorAsks() throws Exception {
        Map<String, String> many = new LinkedHashMap<>();
        many.put("InitiatorName", INITIATOR);
        many.put("TargetName", TARGET + "-open");
        many.put("AuthMethod", "None");
        exchange(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, many);
        // 400 keys Tandem does not know: each answered NotUnderstood, ~15 KiB of answer.
        Map<String, String> unknown = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            unknown.put(String.format("X-org.example.vendor.key%03d", i), "v");
        }
        ByteBuf offer = TextParameters.of(new ArrayList<>(unknown.entrySet())).encode();
        assertThat(offer.readableBytes()).isGreaterThan(8192);
        channel.writeInbound(request(false, true, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                offer.readRetainedSlice(8000)));
        LoginResponse ack = readResponse();
        assertThat(ack.data().readableBytes()).isZero();
        ack.release();
        channel.writeInbound(request(true, false, LOGIN_OPERATIONAL_NEGOTIATION, FULL_FEATURE_PHASE, offer));
        ByteBuf answer = Unpooled.buffer();
        LoginResponse part = readResponse();
        int parts = 1;
        while (part.continueFlag()) {
            assertThat(part.transit()).as("T with C").isFalse();
            assertThat(part.data().readableBytes()).isLessThanOrEqualTo(8192);
            assertThat(part.tsih()).isZero();
            answer.writeBytes(part.data());
            part.release();
            channel.writeInbound(request(false, false, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                    Unpooled.EMPTY_BUFFER));
            part = readResponse();
            parts++;
        }
        assertThat(parts).isGreaterThan(1);
        assertThat(part.transit()).isTrue();
        assertThat(part.nextStage()).isEqualTo(FULL_FEATURE_PHASE);
        assertThat(part.tsih()).isNotZero();
        answer.writeBytes(part.data());
        part.release();
        Map<String, String> all = new LinkedHashMap<>();
        TextParameters.parse(answer).pairs().forEach(e -> all.put(e.getKey(), e.getValue()));
        answer.release();
        for (String k : unknown.keySet()) {
            assertThat(all).containsEntry(k, "NotUnderstood");
        }
        assertThat(all).containsKey("MaxRecvDataSegmentLength");
    }

    @Test
    void anInitiatorNameThatCouldForgeLogLinesIsRefused() throws Exception {
        LoginResponse r = exchange(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, keys("InitiatorName",
                "iqn.2026-11.org.evil:x\n12:00:00.000 INFO  LoginHandler: login: forged", "TargetName", TARGET,
                "AuthMethod", "None"));
        assertThat(r.statusClass()).isEqualTo(2);
        assertThat(r.statusDetail()).isEqualTo(LoginStatus.INITIATOR_ERROR.detail());
        r.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void continueAndTransitTogetherAreRefused() {
        channel.writeInbound(request(true, true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                TextParameters.of(List.copyOf(keys("InitiatorName", INITIATOR, "TargetName", TARGET).entrySet()))
                        .encode()));
        LoginResponse r = readResponse();
        assertThat(r.statusClass()).isEqualTo(LoginStatus.INITIATOR_ERROR.statusClass());
        assertThat(r.statusDetail()).isEqualTo(LoginStatus.INITIATOR_ERROR.detail());
        assertThat(r.initiatorTaskTag()).isEqualTo(ITT);
        r.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aPduOtherThanLoginRequestIsAnsweredWithInvalidDuringLogin() {
        channel.writeInbound(new NopOut(true, 0, 0x77, 0xffffffff, 1, 0, Unpooled.EMPTY_BUFFER));
        LoginResponse r = readResponse();
        assertThat(r.statusClass()).isEqualTo(2);
        assertThat(r.statusDetail()).isEqualTo(LoginStatus.INVALID_DURING_LOGIN.detail());
        assertThat(r.initiatorTaskTag()).isEqualTo(0x77);
        r.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aMalformedPduIsAnsweredWithInitiatorError() {
        byte[] header = new byte[48];
        header[0] = 0x43;
        header[19] = 0x09; // ITT 9
        channel.writeInbound(new InvalidPdu(RejectReason.PROTOCOL_ERROR, true, header, "DataSegmentLength too long"));
        LoginResponse r = readResponse();
        assertThat(r.statusClass()).isEqualTo(2);
        assertThat(r.statusDetail()).isZero();
        assertThat(r.initiatorTaskTag()).isEqualTo(9);
        r.release();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void textAfterAContinuedResponseIsRefused() throws Exception {
        exchange(true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, keys("InitiatorName", INITIATOR,
                "TargetName", TARGET + "-open", "AuthMethod", "None"));
        Map<String, String> unknown = new LinkedHashMap<>();
        for (int i = 0; i < 400; i++) {
            unknown.put(String.format("X-org.example.vendor.key%03d", i), "v");
        }
        ByteBuf offer = TextParameters.of(new ArrayList<>(unknown.entrySet())).encode();
        channel.writeInbound(request(false, true, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                offer.readRetainedSlice(8000)));
        readResponse().release();
        channel.writeInbound(request(false, false, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                offer));
        LoginResponse first = readResponse();
        assertThat(first.continueFlag()).isTrue();
        first.release();
        exchange(false, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, keys("HeaderDigest", "None"));
        assertThat(channel.isOpen()).isFalse();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static void assertSecurityStage(LoginResponse r) {
        assertThat(r.statusClass()).isZero();
        assertThat(r.currentStage()).isEqualTo(SECURITY_NEGOTIATION);
    }

    private LoginResponse exchange(boolean transit, LoginStage current, LoginStage next, Map<String, String> keys) {
        channel.writeInbound(request(transit, false, current, next,
                TextParameters.of(new ArrayList<>(keys.entrySet())).encode()));
        return readResponse();
    }

    private static LoginRequest request(boolean transit, boolean continueFlag, LoginStage current, LoginStage next,
                                        ByteBuf data) {
        return new LoginRequest(transit, continueFlag, current, next, 0, 0, ISID, 0, ITT, 0, 1, 0, data);
    }

    private LoginResponse readResponse() {
        Object o = channel.readOutbound();
        assertThat(o).as("a Login Response").isInstanceOf(LoginResponse.class);
        return (LoginResponse) o;
    }

    /** The response's keys; releases the response. */
    private static Map<String, String> text(LoginResponse r) throws Exception {
        try {
            return textOf(r);
        } finally {
            r.release();
        }
    }

    private static Map<String, String> textOf(LoginResponse r) {
        Map<String, String> m = new LinkedHashMap<>();
        try {
            TextParameters.parse(r.data()).pairs().forEach(e -> m.put(e.getKey(), e.getValue()));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return m;
    }

    private static Map<String, String> keys(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static byte[] md5(byte id, String secret, byte[] challenge) throws Exception {
        MessageDigest d = MessageDigest.getInstance("MD5");
        d.update(id);
        d.update(secret.getBytes(StandardCharsets.UTF_8));
        d.update(challenge);
        return d.digest();
    }
}
