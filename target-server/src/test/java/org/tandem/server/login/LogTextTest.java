package org.tandem.server.login;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Wire text in a log line: nothing that forges or hides a line, nothing longer than a line should be. */
class LogTextTest {

    @Test
    void controlsLineBreaksAndInvisibleFormattingAreShownAsQuestionMarks() {
        assertThat(LogText.printable("iqn.a\nWARN forged\u202e\u200b\u2028x")).isEqualTo("iqn.a?WARN forged???x");
    }

    @Test
    void longTextIsCutAtThreeHundredCodePoints() {
        assertThat(LogText.printable("a".repeat(301))).isEqualTo("a".repeat(300) + "...");
        assertThat(LogText.printable("a".repeat(300))).isEqualTo("a".repeat(300));
    }

    @Test
    void answersShowEveryKeyWithLongValuesShortened() {
        assertThat(LogText.keys(List.of())).isEqualTo("no keys");
        assertThat(LogText.keys(List.of(Map.entry("AuthMethod", "CHAP"), Map.entry("CHAP_C", "0x" + "ab".repeat(20)))))
                .isEqualTo("AuthMethod=CHAP CHAP_C=0x" + "ab".repeat(9) + "...");
    }
}
