package org.tandem.server.config;

import org.junit.jupiter.api.Test;
import org.tandem.server.negotiation.IscsiKey;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A target's directives and the operational-stage offer made from them (RFC 7143 section 6.2). */
class TargetSettingsTest {
    @Test
    void theOfferHoldsEveryNegotiatedKeyWithADirectiveOrAFixedValueAndNoDeclaration() {
        Map<IscsiKey, String> offer = TargetSettings.defaults().offer();
        assertThat(offer.keySet()).containsExactly(IscsiKey.HEADER_DIGEST, IscsiKey.DATA_DIGEST,
                IscsiKey.MAX_CONNECTIONS, IscsiKey.INITIAL_R2T, IscsiKey.IMMEDIATE_DATA,
                IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH, IscsiKey.MAX_BURST_LENGTH, IscsiKey.FIRST_BURST_LENGTH,
                IscsiKey.DEFAULT_TIME2WAIT, IscsiKey.DEFAULT_TIME2RETAIN, IscsiKey.MAX_OUTSTANDING_R2T,
                IscsiKey.DATA_PDU_IN_ORDER, IscsiKey.DATA_SEQUENCE_IN_ORDER, IscsiKey.ERROR_RECOVERY_LEVEL,
                IscsiKey.OF_MARKER, IscsiKey.IF_MARKER, IscsiKey.ISCSI_PROTOCOL_LEVEL, IscsiKey.TASK_REPORTING);
        assertThat(offer).containsEntry(IscsiKey.HEADER_DIGEST, "None,CRC32C")
                .containsEntry(IscsiKey.MAX_RECV_DATA_SEGMENT_LENGTH, "262144")
                .containsEntry(IscsiKey.DEFAULT_TIME2RETAIN, "0");
    }

    @Test
    void aDirectiveChangesItsKeysOfferAndNothingElse() {
        TargetSettings set = new TargetSettings.Builder().set(IscsiKey.INITIAL_R2T, 0)
                .set(IscsiKey.QUEUED_COMMANDS, 64).digest(IscsiKey.DATA_DIGEST, "CRC32C").build();
        Map<IscsiKey, String> expected = new EnumMap<>(TargetSettings.defaults().offer());
        expected.put(IscsiKey.INITIAL_R2T, "No");
        expected.put(IscsiKey.DATA_DIGEST, "CRC32C");
        assertThat(set.offer()).isEqualTo(expected);
        assertThat(set.number(IscsiKey.QUEUED_COMMANDS)).isEqualTo(64);
    }

    @Test
    void aKeyThatNoDirectiveSetsHasNoConfiguredNumber() {
        assertThatThrownBy(() -> TargetSettings.defaults().number(IscsiKey.OF_MARKER))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no ietd.conf directive sets OFMarker");
    }
}
