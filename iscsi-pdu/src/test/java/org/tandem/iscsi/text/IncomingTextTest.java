package org.tandem.iscsi.text;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 7143 section 6.1: "a key=value pair can span PDU boundaries"; the receiver joins the parts, bounded. */
class IncomingTextTest {

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Test
    void aPairSplitAcrossPdusIsJoinedBeforeParsing() throws Exception {
        IncomingText in = new IncomingText(IncomingText.DEFAULT_LIMIT);
        ByteBuf first = text("InitiatorName=iqn.2026-11.org.ex");
        ByteBuf second = text("ample:host\0SessionType=Nor");
        ByteBuf last = text("mal\0");
        in.append(first);
        first.release(); // the PDU is released by its handler; the held part keeps its own reference
        assertThat(in.inProgress()).isTrue();
        in.append(second);
        second.release();
        TextParameters all = in.complete(last);
        assertThat(all.pairs()).containsExactly(Map.entry("InitiatorName", "iqn.2026-11.org.example:host"),
                Map.entry("SessionType", "Normal"));
        assertThat(in.inProgress()).isFalse();
        last.release();
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
        assertThat(last.refCnt()).isZero();
    }

    @Test
    void aTextInOnePduIsParsedAsItIs() throws Exception {
        IncomingText in = new IncomingText(8);
        ByteBuf only = text("SendTargets=All\0"); // longer than the limit: one PDU is bounded by its decoder
        assertThat(in.complete(only).get("SendTargets")).isEqualTo("All");
        assertThat(only.refCnt()).isEqualTo(1);
        only.release();
    }

    @Test
    void aContinuedTextPastTheLimitIsRefusedAndWhatWasHeldIsDropped() throws Exception {
        IncomingText in = new IncomingText(10);
        ByteBuf a = text("A=123456");
        in.append(a);
        ByteBuf b = text("789");
        assertThatThrownBy(() -> in.append(b)).isInstanceOf(TextTooLongException.class)
                .hasMessage("text longer than 10 bytes across its PDUs");
        assertThat(in.inProgress()).isFalse();
        a.release();
        b.release();
        assertThat(a.refCnt()).isZero();
        // The next text starts afresh.
        ByteBuf c = text("B=1\0");
        assertThat(in.complete(c).get("B")).isEqualTo("1");
        c.release();
    }

    @Test
    void theLastPduCountsTowardsTheLimitToo() throws Exception {
        IncomingText in = new IncomingText(10);
        ByteBuf a = text("A=1234");
        in.append(a);
        ByteBuf last = text("56789\0");
        assertThatThrownBy(() -> in.complete(last)).isInstanceOf(TextTooLongException.class)
                .extracting(e -> ((TextTooLongException) e).limit()).isEqualTo(10);
        assertThat(in.inProgress()).isFalse();
        a.release();
        last.release();
        assertThat(a.refCnt()).isZero();
    }

    @Test
    void aMalformedJoinedTextIsAFormatErrorAndReleasesTheParts() throws Exception {
        IncomingText in = new IncomingText(100);
        ByteBuf a = text("NoEquals");
        in.append(a);
        a.release();
        ByteBuf last = text("Sign\0");
        assertThatThrownBy(() -> in.complete(last)).isInstanceOf(TextFormatException.class)
                .hasMessageContaining("NoEqualsSign");
        assertThat(in.inProgress()).isFalse();
        last.release();
        assertThat(a.refCnt()).isZero();
    }

    @Test
    void closeDropsHeldPartsAndIsIdempotent() throws Exception {
        IncomingText in = new IncomingText(100);
        ByteBuf a = text("A=1");
        in.append(a);
        a.release();
        in.close();
        in.close();
        assertThat(a.refCnt()).isZero();
        assertThatThrownBy(() -> new IncomingText(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
