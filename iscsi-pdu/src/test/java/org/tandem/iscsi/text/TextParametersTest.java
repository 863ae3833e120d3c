package org.tandem.iscsi.text;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextParametersTest {

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void parsesPairsInOrderAndToleratesAMissingFinalNul() throws Exception {
        TextParameters p = TextParameters.parse(text("InitiatorName=iqn.a\0SessionType=Normal\0CHAP_A=7,5"));
        assertThat(p.pairs()).containsExactly(Map.entry("InitiatorName", "iqn.a"),
                Map.entry("SessionType", "Normal"), Map.entry("CHAP_A", "7,5"));
        assertThat(p.get("CHAP_A")).isEqualTo("7,5");
        assertThat(p.get("Missing")).isNull();
    }

    @Test
    void valuesMayContainEqualsSigns() throws Exception {
        assertThat(TextParameters.parse(text("X-a=b=c\0")).get("X-a")).isEqualTo("b=c");
    }

    @Test
    void refusesPairsWithoutKeyOrEquals() {
        assertThatThrownBy(() -> TextParameters.parse(text("novalue\0"))).isInstanceOf(TextFormatException.class);
        assertThatThrownBy(() -> TextParameters.parse(text("=x\0"))).isInstanceOf(TextFormatException.class);
    }

    @Test
    void refusesKeysLongerThan63Bytes() {
        String key = "K".repeat(64);
        assertThatThrownBy(() -> TextParameters.parse(text(key + "=1\0")))
                .hasMessageContaining("63");
    }

    @Test
    void encodesWithNulTerminators() {
        ByteBuf b = TextParameters.of(List.of(Map.entry("A", "1"), Map.entry("B", "2"))).encode();
        assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo("A=1\0B=2\0");
        b.release();
    }
}
