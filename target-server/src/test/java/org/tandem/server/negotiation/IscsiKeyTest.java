package org.tandem.server.negotiation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one key table read the two ways it is looked up: by the name an initiator sends (RFC 7143 section 6.1:
 * case-sensitive; a key the target does not know is answered NotUnderstood) and by the directive ietd.conf names
 * (case-insensitive, as IET's parser compared them).
 */
class IscsiKeyTest {
    @Test
    void theTargetsOwnDirectivesAreNoKeysOnTheWire() {
        assertThat(Arrays.stream(IscsiKey.values()).filter(k -> !k.negotiated()).map(IscsiKey::keyName))
                .containsExactly("MaxSessions", "MaxXmitDataSegmentLength", "NOPInterval", "NOPTimeout", "Wthreads",
                        "QueuedCommands");
        assertThat(IscsiKey.byName("MaxSessions")).isNull();
        assertThat(IscsiKey.byName("QueuedCommands")).isNull();
        assertThat(IscsiKey.byDirective("MaxSessions")).isEqualTo(IscsiKey.MAX_SESSIONS);
    }

    @Test
    void keyNamesAreCaseSensitiveDirectiveNamesAreNot() {
        assertThat(IscsiKey.byName("MaxBurstLength")).isEqualTo(IscsiKey.MAX_BURST_LENGTH);
        assertThat(IscsiKey.byName("maxburstlength")).isNull();
        assertThat(IscsiKey.byDirective("maxburstlength")).isEqualTo(IscsiKey.MAX_BURST_LENGTH);
        assertThat(IscsiKey.byDirective("MAXSESSIONS")).isEqualTo(IscsiKey.MAX_SESSIONS);
    }

    @Test
    void declarationsAndFixedOffersHaveNoDirective() {
        assertThat(IscsiKey.byDirective("TargetName")).isNull();
        assertThat(IscsiKey.byDirective("SessionType")).isNull();
        assertThat(IscsiKey.byDirective("OFMarker")).isNull();
        assertThat(IscsiKey.OF_MARKER.fixedOffer()).contains("No");
        assertThat(IscsiKey.TARGET_NAME.fixedOffer()).isEmpty();
        assertThat(Arrays.stream(IscsiKey.values()).filter(k -> k.directive().isPresent() && k.fixedOffer()
                .isPresent())).as("keys with both a directive and a fixed offer").isEmpty();
    }

    @Test
    void theConfiguredRangeMayBeNarrowerThanTheRfcsButNeverWider() {
        for (IscsiKey k : IscsiKey.values()) {
            k.directive().filter(d -> k.numeric() && d.kind() == Directive.Kind.NUMBER).ifPresent(d -> {
                assertThat(d.min()).as(k.keyName()).isGreaterThanOrEqualTo(k.min());
                assertThat(d.max()).as(k.keyName()).isLessThanOrEqualTo(k.max());
            });
        }
        assertThat(IscsiKey.ERROR_RECOVERY_LEVEL.max()).isEqualTo(2);
        assertThat(IscsiKey.ERROR_RECOVERY_LEVEL.directive().orElseThrow().max()).isZero();
    }

    @Test
    void directiveValuesAreWrittenAsIetdConfAndTheLoginWriteThem() {
        assertThat(IscsiKey.INITIAL_R2T.directive().orElseThrow().text(0)).isEqualTo("No");
        assertThat(IscsiKey.INITIAL_R2T.directive().orElseThrow().text(1)).isEqualTo("Yes");
        assertThat(IscsiKey.MAX_BURST_LENGTH.directive().orElseThrow().text(524288)).isEqualTo("524288");
    }
}
