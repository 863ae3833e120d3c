package org.tandem.iscsi.text;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutgoingTextTest {

    @Test
    void segmentsAreAtMostTheLimitAndJoinToTheWholeText() {
        ByteBuf text = Unpooled.copiedBuffer("TargetName=iqn.2026-11.org.tandem:a\0TargetAddress=10.0.0.1:3260,1\0",
                StandardCharsets.UTF_8);
        String whole = text.toString(StandardCharsets.UTF_8);
        OutgoingText out = new OutgoingText(text, 16);
        StringBuilder joined = new StringBuilder();
        int segments = 0;
        while (true) {
            ByteBuf s = out.next();
            segments++;
            assertThat(s.readableBytes()).isLessThanOrEqualTo(16);
            joined.append(s.toString(StandardCharsets.UTF_8));
            s.release();
            if (!out.hasMore()) {
                break;
            }
        }
        out.close();
        out.close(); // idempotent
        assertThat(joined.toString()).isEqualTo(whole);
        assertThat(segments).isEqualTo((whole.length() + 15) / 16);
        assertThat(text.refCnt()).isZero();
    }

    @Test
    void aTextThatFitsIsOneSegmentAndAnEmptyTextAnEmptySegment() {
        OutgoingText small = new OutgoingText(Unpooled.copiedBuffer("A=B\0", StandardCharsets.UTF_8), 8192);
        ByteBuf s = small.next();
        assertThat(s.readableBytes()).isEqualTo(4);
        assertThat(small.hasMore()).isFalse();
        s.release();
        small.close();

        ByteBuf empty = Unpooled.buffer();
        OutgoingText none = new OutgoingText(empty, 512);
        ByteBuf e = none.next();
        assertThat(e.readableBytes()).isZero();
        assertThat(none.hasMore()).isFalse();
        e.release();
        none.close();
        assertThat(empty.refCnt()).isZero();
    }

    @Test
    void closingWithSegmentsUnsentReleasesTheText() {
        ByteBuf text = Unpooled.copiedBuffer("K=" + "v".repeat(100) + "\0", StandardCharsets.UTF_8);
        OutgoingText out = new OutgoingText(text, 10);
        out.next().release();
        assertThat(out.hasMore()).isTrue();
        out.close();
        assertThat(text.refCnt()).isZero();
    }

    @Test
    void aLimitBelowOneIsRefusedAndTheTextReleased() {
        ByteBuf text = Unpooled.copiedBuffer("A=B\0", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> new OutgoingText(text, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(text.refCnt()).isZero();
    }
}
