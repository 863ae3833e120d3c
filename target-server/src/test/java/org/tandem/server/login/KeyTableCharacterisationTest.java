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
import org.tandem.iscsi.text.TextParameters;
import org.tandem.server.config.ConfigException;
import org.tandem.server.config.IetdConfParser;
import org.tandem.server.config.IetdConfWriter;
import org.tandem.server.config.TandemConfig;
import org.tandem.server.config.TargetSettings;
import org.tandem.server.negotiation.Directive;
import org.tandem.server.negotiation.IscsiKey;
import org.tandem.server.session.TargetCatalog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tandem.iscsi.pdu.LoginStage.LOGIN_OPERATIONAL_NEGOTIATION;
import static org.tandem.iscsi.pdu.LoginStage.SECURITY_NEGOTIATION;

/**
 * One table seen from its three readers: the ietd.conf directives (ietd.conf(5), IET's usr/param.c ranges and
 * defaults), the text keys of RFC 7143 section 13 (rule, range, RFC default) and what the target offers in the
 * operational stage (section 6.2) for a target with no directive and for one with every directive set. The
 * expected values are written out, not computed, so that moving the table cannot move a byte on the wire.
 * <p>
 * The differences that are on purpose: MaxRecvDataSegmentLength is offered as 262144 (the RFC default is 8192),
 * DefaultTime2Retain as 0 (IET's; the RFC's is 20), ErrorRecoveryLevel is configurable only as 0 (the RFC range is
 * 0..2), and MaxSessions, MaxXmitDataSegmentLength, NOPInterval, NOPTimeout, Wthreads and QueuedCommands are the
 * target's own: never on the wire.
 */
class KeyTableCharacterisationTest {
    private static final String DEFAULTS = "iqn.2026-11.org.tandem.test:defaults";
    private static final String EVERYTHING = "iqn.2026-11.org.tandem.test:everything";
    private static final String INITIATOR = "iqn.2026-11.org.tandem.test:host";
    /** Every directive that takes a value, none at its default, in an order unlike the table's. */
    private static final String EVERY_DIRECTIVE = """
                QueuedCommands 64
                HeaderDigest CRC32C
                MaxBurstLength 524288
                DataDigest CRC32C, None
                NOPTimeout 20
                Wthreads 4
                InitialR2T No
                MaxConnections 4
                DefaultTime2Retain 30
                MaxRecvDataSegmentLength 65536
                DataSequenceInOrder Yes
                ImmediateData No
                ErrorRecoveryLevel 0
                MaxXmitDataSegmentLength 131072
                MaxSessions 2
                DefaultTime2Wait 5
                FirstBurstLength 131072
                NOPInterval 10
                DataPDUInOrder Yes
                MaxOutstandingR2T 4
            """;
    /**
     * Offers that make each answer show the target's value (RFC 7143 section 6.2.2): the largest number for a
     * minimum, the smallest for a maximum, No for an or, Yes for an and; and the target-local directives, as an
     * initiator that took them for keys would send them.
     */
    private static final String[] REVEALING_OFFERS = {
            "MaxConnections", "65535", "InitialR2T", "No", "ImmediateData", "Yes",
            "MaxRecvDataSegmentLength", "16777215", "MaxBurstLength", "16777215", "FirstBurstLength", "16777215",
            "DefaultTime2Wait", "0", "DefaultTime2Retain", "3600", "MaxOutstandingR2T", "65535",
            "DataPDUInOrder", "No", "DataSequenceInOrder", "No", "ErrorRecoveryLevel", "2", "OFMarker", "Yes",
            "IFMarker", "Yes", "iSCSIProtocolLevel", "31", "TaskReporting", "FastAbort,ResponseFence,RFC3720",
            "MaxSessions", "1", "MaxXmitDataSegmentLength", "8192", "NOPInterval", "5", "NOPTimeout", "5",
            "Wthreads", "8", "QueuedCommands", "1"};

    @TempDir
    Path dir;

    private TargetCatalog catalog;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path conf = dir.resolve("ietd.conf");
        Files.writeString(conf, "Target " + DEFAULTS + "\n    Lun 0 Type=nullio,Blocks=2048\n"
                + "Target " + EVERYTHING + "\n    Lun 0 Type=nullio,Blocks=2048\n" + EVERY_DIRECTIVE);
        catalog = TargetCatalog.open(IetdConfParser.read(conf), Runnable::run);
    }

    @AfterEach
    void stop() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        catalog.close();
    }

    @Test
    void everyIetdConfDirectiveHasItsKindRangeAndDefault() {
        TargetSettings defaults = TargetSettings.defaults();
        List<String> rows = Arrays.stream(IscsiKey.values()).filter(k -> k.directive().isPresent()).map(k -> {
            Directive d = k.directive().orElseThrow();
            return k.keyName() + " " + d.kind() + " " + (d.kind() == Directive.Kind.DIGEST ? "" : d.min() + ".."
                    + d.max() + " ") + "default " + (d.kind() == Directive.Kind.DIGEST ? defaults.digest(k)
                    : defaults.number(k));
        }).toList();
        assertThat(rows).containsExactly(
                "HeaderDigest DIGEST default None,CRC32C",
                "DataDigest DIGEST default None,CRC32C",
                "MaxConnections NUMBER 1..65535 default 1",
                "MaxSessions NUMBER 0..65535 default 0",
                "InitialR2T BOOLEAN 0..1 default 1",
                "ImmediateData BOOLEAN 0..1 default 1",
                "MaxRecvDataSegmentLength NUMBER 512..16777215 default 262144",
                "MaxXmitDataSegmentLength NUMBER 512..16777215 default 262144",
                "MaxBurstLength NUMBER 512..16777215 default 262144",
                "FirstBurstLength NUMBER 512..16777215 default 65536",
                "DefaultTime2Wait NUMBER 0..3600 default 2",
                "DefaultTime2Retain NUMBER 0..3600 default 0",
                "MaxOutstandingR2T NUMBER 1..65535 default 1",
                "DataPDUInOrder BOOLEAN 1..1 default 1",
                "DataSequenceInOrder BOOLEAN 1..1 default 1",
                "ErrorRecoveryLevel NUMBER 0..0 default 0",
                "NOPInterval NUMBER 0..90 default 0",
                "NOPTimeout NUMBER 0..90 default 0",
                "Wthreads NUMBER 1..128 default 8",
                "QueuedCommands NUMBER 1..256 default 32");
    }

    @Test
    void everyRfc7143KeyHasItsRuleRangeAndRfcDefault() {
        List<String> rows = Arrays.stream(IscsiKey.values()).filter(IscsiKey::negotiated).map(k -> k.keyName() + " "
                + k.rule() + " "
                + (k.numeric() ? k.min() + ".." + k.max() + " " : "") + "default " + k.defaultValue()
                + (k.leadingOnly() ? " LO" : "") + (k.irrelevantInDiscovery() ? " normal-only" : "")).toList();
        assertThat(rows).containsExactly(
                "HeaderDigest LIST default None",
                "DataDigest LIST default None",
                "MaxConnections MINIMUM 1..65535 default 1 LO normal-only",
                "TargetName DECLARATIVE default null",
                "InitiatorName DECLARATIVE default null",
                "TargetAlias DECLARATIVE default null",
                "InitiatorAlias DECLARATIVE default null",
                "TargetAddress DECLARATIVE default null",
                "TargetPortalGroupTag DECLARATIVE 0..65535 default null",
                "InitialR2T BOOLEAN_OR default Yes LO normal-only",
                "ImmediateData BOOLEAN_AND default Yes LO normal-only",
                "MaxRecvDataSegmentLength DECLARATIVE 512..16777215 default 8192",
                "MaxBurstLength MINIMUM 512..16777215 default 262144 LO normal-only",
                "FirstBurstLength MINIMUM 512..16777215 default 65536 LO normal-only",
                "DefaultTime2Wait MAXIMUM 0..3600 default 2 LO",
                "DefaultTime2Retain MINIMUM 0..3600 default 20 LO",
                "MaxOutstandingR2T MINIMUM 1..65535 default 1 LO normal-only",
                "DataPDUInOrder BOOLEAN_OR default Yes LO normal-only",
                "DataSequenceInOrder BOOLEAN_OR default Yes LO normal-only",
                "ErrorRecoveryLevel MINIMUM 0..2 default 0 LO",
                "SessionType DECLARATIVE default Normal LO",
                "OFMarker BOOLEAN_AND default No",
                "IFMarker BOOLEAN_AND default No",
                "iSCSIProtocolLevel MINIMUM 0..31 default 1 LO",
                "TaskReporting LIST default RFC3720 LO");
    }

    @Test
    void theOperationalStageOffersTandemsDefaultsOrWhatTheDirectivesSay() {
        // key                        answer for: no directive  every directive set
        String[][] answers = {
                {"HeaderDigest",             "None",           "CRC32C"},
                {"DataDigest",               "None",           "None"},
                {"MaxConnections",           "1",              "4"},
                {"InitialR2T",               "Yes",            "No"},
                {"ImmediateData",            "Yes",            "No"},
                {"MaxRecvDataSegmentLength", "262144",         "65536"},  // the RFC default is 8192
                {"MaxBurstLength",           "262144",         "524288"},
                {"FirstBurstLength",         "65536",          "131072"},
                {"DefaultTime2Wait",         "2",              "5"},
                {"DefaultTime2Retain",       "0",              "30"},     // IET's; the RFC default is 20
                {"MaxOutstandingR2T",        "1",              "4"},
                {"DataPDUInOrder",           "Yes",            "Yes"},    // configurable as Yes only
                {"DataSequenceInOrder",      "Yes",            "Yes"},
                {"ErrorRecoveryLevel",       "0",              "0"},      // configurable as 0 only
                {"OFMarker",                 "No",             "No"},     // no directive
                {"IFMarker",                 "No",             "No"},
                {"iSCSIProtocolLevel",       "1",              "1"},
                {"TaskReporting",            "RFC3720",        "RFC3720"},
                {"MaxSessions",              "NotUnderstood",  "NotUnderstood"},  // the target's own
                {"MaxXmitDataSegmentLength", "NotUnderstood",  "NotUnderstood"},
                {"NOPInterval",              "NotUnderstood",  "NotUnderstood"},
                {"NOPTimeout",               "NotUnderstood",  "NotUnderstood"},
                {"Wthreads",                 "NotUnderstood",  "NotUnderstood"},
                {"QueuedCommands",           "NotUnderstood",  "NotUnderstood"},
        };
        assertThat(operationalAnswer(DEFAULTS, "None,CRC32C")).isEqualTo(column(answers, 1));
        assertThat(operationalAnswer(EVERYTHING, "None,CRC32C")).isEqualTo(column(answers, 2));
        // the rest of each digest list: the defaults allow both, the directives CRC32C only and CRC32C,None
        assertThat(operationalAnswer(DEFAULTS, "CRC32C,None")).startsWith("HeaderDigest=CRC32C\nDataDigest=CRC32C\n");
        assertThat(operationalAnswer(EVERYTHING, "CRC32C,None"))
                .startsWith("HeaderDigest=CRC32C\nDataDigest=CRC32C\n");
    }

    /** One "key=value" line per row, the value from the given column. */
    private static String column(String[][] rows, int column) {
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            text.append(row[0]).append('=').append(row[column]).append('\n');
        }
        return text.toString();
    }

    @Test
    void everyDirectiveIsWrittenBackInTableOrderAndReadsBackTheSame() throws Exception {
        TandemConfig read = IetdConfParser.read(dir.resolve("ietd.conf"));
        String written = IetdConfWriter.render(List.of(), read);
        assertThat(written).endsWith("""
                Target iqn.2026-11.org.tandem.test:everything
                    Lun 0 Type=nullio,Blocks=2048
                    MaxConnections 4
                    MaxSessions 2
                    InitialR2T No
                    ImmediateData No
                    MaxRecvDataSegmentLength 65536
                    MaxXmitDataSegmentLength 131072
                    MaxBurstLength 524288
                    FirstBurstLength 131072
                    DefaultTime2Wait 5
                    DefaultTime2Retain 30
                    MaxOutstandingR2T 4
                    DataPDUInOrder Yes
                    DataSequenceInOrder Yes
                    ErrorRecoveryLevel 0
                    NOPInterval 10
                    NOPTimeout 20
                    Wthreads 4
                    QueuedCommands 64
                    HeaderDigest CRC32C
                    DataDigest CRC32C,None
                """);
        assertThat(IetdConfParser.parse(dir.resolve("ietd.conf"), written).targets()).isEqualTo(read.targets());
    }

    @Test
    void everyDirectiveRefusesAValueOutsideItsRangeWithFileLineAndFix() {
        String[][] cases = {
                {"HeaderDigest MD5", "expected HeaderDigest None, CRC32C or a comma list of them, got 'MD5'"},
                {"DataDigest CRC32C,MD5", "expected DataDigest None, CRC32C or a comma list of them, got"
                        + " 'CRC32C,MD5'"},
                {"MaxConnections 0", "MaxConnections 0 out of range: write a number from 1 to 65535"},
                {"MaxSessions 65536", "MaxSessions 65536 out of range: write a number from 0 to 65535"},
                {"InitialR2T yes", "expected InitialR2T Yes or No (case matters), got 'yes'"},
                {"ImmediateData 1", "expected ImmediateData Yes or No (case matters), got '1'"},
                {"MaxRecvDataSegmentLength 511", "MaxRecvDataSegmentLength 511 out of range: write a number from 512"
                        + " to 16777215"},
                {"MaxXmitDataSegmentLength 16777216", "MaxXmitDataSegmentLength 16777216 out of range: write a number"
                        + " from 512 to 16777215"},
                {"MaxBurstLength 511", "MaxBurstLength 511 out of range: write a number from 512 to 16777215"},
                {"FirstBurstLength 511", "FirstBurstLength 511 out of range: write a number from 512 to 16777215"},
                {"DefaultTime2Wait 3601", "DefaultTime2Wait 3601 out of range: write a number from 0 to 3600"},
                {"DefaultTime2Retain 3601", "DefaultTime2Retain 3601 out of range: write a number from 0 to 3600"},
                {"MaxOutstandingR2T 0", "MaxOutstandingR2T 0 out of range: write a number from 1 to 65535"},
                {"DataPDUInOrder No", "DataPDUInOrder must be Yes in Tandem (as in IET): write 'DataPDUInOrder Yes'"
                        + " or remove the line"},
                {"DataSequenceInOrder No", "DataSequenceInOrder must be Yes in Tandem (as in IET): write"
                        + " 'DataSequenceInOrder Yes' or remove the line"},
                {"ErrorRecoveryLevel 1", "ErrorRecoveryLevel 1 out of range: write a number from 0 to 0"},
                {"NOPInterval 91", "NOPInterval 91 out of range: write a number from 0 to 90"},
                {"NOPTimeout 91", "NOPTimeout 91 out of range: write a number from 0 to 90"},
                {"Wthreads 0", "Wthreads 0 out of range: write a number from 1 to 128"},
                {"QueuedCommands 257", "QueuedCommands 257 out of range: write a number from 1 to 256"},
        };
        Path file = dir.resolve("ietd.conf");
        for (String[] c : cases) {
            assertThatThrownBy(() -> IetdConfParser.parse(file, "Target " + DEFAULTS + "\n    " + c[0] + "\n"))
                    .as(c[0]).isInstanceOf(ConfigException.class).hasMessage(file + ":2: " + c[1]);
        }
    }

    // ---- a login up to the operational stage ----------------------------------------------------------------------

    /**
     * The target's answers, one "key=value" line each, to the revealing offers in a first operational-stage request
     * (T=0, so the login stays there), with both digests offered as {@code digests}.
     */
    private String operationalAnswer(String target, String digests) {
        EmbeddedChannel channel = PortalChannel.open();
        channels.add(channel);
        channel.pipeline().addLast(new LoginHandler(catalog, new FrameSettings()));
        Map<String, String> security = exchange(channel, true, SECURITY_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION,
                List.of("InitiatorName", INITIATOR, "SessionType", "Normal", "TargetName", target,
                        "AuthMethod", "None"));
        assertThat(security).containsEntry("AuthMethod", "None");
        List<String> offers = new ArrayList<>(List.of("HeaderDigest", digests, "DataDigest", digests));
        offers.addAll(List.of(REVEALING_OFFERS));
        StringBuilder answer = new StringBuilder();
        exchange(channel, false, LOGIN_OPERATIONAL_NEGOTIATION, LOGIN_OPERATIONAL_NEGOTIATION, offers)
                .forEach((k, v) -> answer.append(k).append('=').append(v).append('\n'));
        return answer.toString();
    }

    private static Map<String, String> exchange(EmbeddedChannel channel, boolean transit, LoginStage current,
                                                LoginStage next, List<String> keyValues) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (int i = 0; i < keyValues.size(); i += 2) {
            pairs.add(Map.entry(keyValues.get(i), keyValues.get(i + 1)));
        }
        ByteBuf data = TextParameters.of(pairs).encode();
        channel.writeInbound(new LoginRequest(transit, false, current, next, 0, 0, 0x23d000000001L, 0, 0x1234, 0, 1, 0,
                data));
        Object o = channel.readOutbound();
        assertThat(o).as("a Login Response").isInstanceOf(LoginResponse.class);
        LoginResponse r = (LoginResponse) o;
        try {
            assertThat(r.statusClass()).as("login status class").isZero();
            Map<String, String> keys = new LinkedHashMap<>();
            TextParameters.parse(r.data()).pairs().forEach(e -> keys.put(e.getKey(), e.getValue()));
            return keys;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            r.release();
        }
    }
}
