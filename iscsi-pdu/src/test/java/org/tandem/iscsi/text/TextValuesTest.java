package org.tandem.iscsi.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The value grammar of RFC 7143 section 6.1: numerical-value and binary-value in every encoding it allows. */
class TextValuesTest {

    private static String reason(Decoded<?> d) {
        assertThat(d).isInstanceOf(Decoded.Invalid.class);
        return ((Decoded.Invalid<?>) d).reason();
    }

    // ---- numerical-value -----------------------------------------------------------------------------------------

    @Test
    void numericalValueInDecimalAndInHexWithEitherPrefixAndDigitCase() {
        assertThat(TextValues.numericalValue("8192"))
                .isEqualTo(new Decoded.Value<>(8192L, ValueEncoding.DECIMAL_CONSTANT));
        assertThat(TextValues.numericalValue("0")).isEqualTo(new Decoded.Value<>(0L, ValueEncoding.DECIMAL_CONSTANT));
        assertThat(TextValues.numericalValue("0x1000"))
                .isEqualTo(new Decoded.Value<>(4096L, ValueEncoding.HEX_CONSTANT));
        assertThat(TextValues.numericalValue("0X2000"))
                .isEqualTo(new Decoded.Value<>(8192L, ValueEncoding.HEX_CONSTANT));
        assertThat(TextValues.numericalValue("0xfFfF").orElseThrow()).isEqualTo(65535L);
        assertThat(TextValues.numericalValue("0x0").orElseThrow()).isZero();
        // leading zeros are discouraged in hex, not forbidden
        assertThat(TextValues.numericalValue("0x" + "0".repeat(40) + "200").orElseThrow()).isEqualTo(512L);
    }

    @Test
    void numericalValuesUpTo2To64Minus1AndNotOneMore() {
        assertThat(TextValues.numericalValue("18446744073709551615").orElseThrow()).isEqualTo(-1L); // unsigned
        assertThat(TextValues.numericalValue("0xFFFFFFFFFFFFFFFF").orElseThrow()).isEqualTo(-1L);
        assertThat(reason(TextValues.numericalValue("18446744073709551616"))).contains("2^64");
        assertThat(reason(TextValues.numericalValue("99999999999999999999999"))).contains("2^64");
        assertThat(reason(TextValues.numericalValue("0x10000000000000000"))).contains("2^64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x", "0X", "-1", "+1", " 1", "1 ", "1.0", "1e3", "0x12g4", "0x 1", "x10", "Yes",
            "\u0661\u0662", "0x\uff11"})
    void malformedNumericalValuesAreInvalid(String text) {
        assertThat(reason(TextValues.numericalValue(text))).isNotBlank();
    }

    @Test
    void decimalConstantsHaveNoLeadingZero() {
        assertThat(reason(TextValues.numericalValue("0010"))).contains("leading zero");
        assertThat(reason(TextValues.numericalValue("00"))).contains("leading zero");
    }

    @Test
    void base64IsNotANumericalValue() {
        assertThat(reason(TextValues.numericalValue("0bAQI="))).contains("base64");
        assertThat(reason(TextValues.numericalValue("0BAQI="))).contains("base64");
    }

    @Test
    void rangesAreInclusiveAndNameTheValue() {
        assertThat(TextValues.numericalValue("0x200", 512, 16777215).orElseThrow()).isEqualTo(512L);
        assertThat(TextValues.numericalValue("16777215", 512, 16777215).orElseThrow()).isEqualTo(16777215L);
        assertThat(reason(TextValues.numericalValue("0x1FF", 512, 16777215)))
                .isEqualTo("'0x1FF' (511) is out of range 512 to 16777215");
        assertThat(reason(TextValues.numericalValue("511", 512, 16777215)))
                .isEqualTo("511 is out of range 512 to 16777215");
        assertThat(reason(TextValues.numericalValue("0x1000000", 512, 16777215))).contains("16777216");
        assertThat(reason(TextValues.numericalValue("18446744073709551615", 0, 255))).contains("out of range");
        assertThat(reason(TextValues.numericalValue("0x", 0, 255))).contains("no digits");
    }

    @Test
    void theInvalidCaseHasNoValue() {
        assertThatThrownBy(() -> TextValues.numericalValue("x").orElseThrow())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'x'");
    }

    // ---- binary-value --------------------------------------------------------------------------------------------

    @Test
    void binaryValuesInHexWithEitherPrefix() {
        Decoded<byte[]> d = TextValues.binaryValue("0x0a0B", 255);
        assertThat(d.orElseThrow()).containsExactly(0x0a, 0x0b);
        assertThat(((Decoded.Value<byte[]>) d).encoding()).isEqualTo(ValueEncoding.HEX_CONSTANT);
        assertThat(TextValues.binaryValue("0XFF00", 255).orElseThrow()).containsExactly(0xff, 0x00);
        assertThat(TextValues.binaryValue("0x0000", 255).orElseThrow()).containsExactly(0, 0); // zeros count
    }

    @Test
    void anOddHexDigitCountHasAnImplicitLeadingZero() {
        // n digits make (n+1)/2 bytes
        assertThat(TextValues.binaryValue("0xabc", 255).orElseThrow()).containsExactly(0x0a, 0xbc);
        assertThat(TextValues.binaryValue("0x7", 255).orElseThrow()).containsExactly(0x07);
    }

    @Test
    void binaryValuesInBase64WithEitherPrefixPaddedOrNot() {
        Decoded<byte[]> d = TextValues.binaryValue("0bAQI=", 255);
        assertThat(d.orElseThrow()).containsExactly(1, 2);
        assertThat(((Decoded.Value<byte[]>) d).encoding()).isEqualTo(ValueEncoding.BASE64_CONSTANT);
        assertThat(TextValues.binaryValue("0BAQI", 255).orElseThrow()).containsExactly(1, 2);
        assertThat(TextValues.binaryValue("0bAQ==", 255).orElseThrow()).containsExactly(1);
        assertThat(TextValues.binaryValue("0bAQ", 255).orElseThrow()).containsExactly(1);
        assertThat(TextValues.binaryValue("0b+/+/", 255).orElseThrow()).containsExactly(0xfb, 0xff, 0xbf);
    }

    @Test
    void badBase64PaddingAndLengthsAreInvalid() {
        assertThat(reason(TextValues.binaryValue("0bAQI==", 255))).contains("padding");  // 7 characters
        assertThat(reason(TextValues.binaryValue("0bAQ===", 255))).contains("padding");  // three '='
        assertThat(reason(TextValues.binaryValue("0bAQ=I", 255))).contains("'=' before its end");
        assertThat(reason(TextValues.binaryValue("0b====", 255))).contains("no digits");
        assertThat(reason(TextValues.binaryValue("0bAQIDB", 255))).contains("4k+1");      // 5 digits
        assertThat(reason(TextValues.binaryValue("0bAR==", 255))).contains("non-zero bits");
        assertThat(reason(TextValues.binaryValue("0bAQ-_", 255))).contains("alphabet");   // base64url is not it
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0x", "0b", "0B", "0X", "0xg0", "abc", "0y12"})
    void emptyOrMalformedBinaryValuesAreInvalid(String text) {
        assertThat(reason(TextValues.binaryValue(text, 255))).isNotBlank();
    }

    @Test
    void aDecimalConstantIsNoBinaryValueOfImplicitLength() {
        assertThat(reason(TextValues.binaryValue("1234", 255))).contains("decimal-constant");
    }

    @Test
    void binaryValuesLongerThanTheKeysLimitAreInvalid() {
        assertThat(TextValues.binaryValue("0x" + "ab".repeat(1024), 1024).orElseThrow()).hasSize(1024);
        assertThat(reason(TextValues.binaryValue("0x" + "ab".repeat(1025), 1024))).contains("longer than 1024");
        assertThat(reason(TextValues.binaryValue("0x1" + "ab".repeat(1024), 1024))).contains("longer than 1024");
        byte[] max = new byte[TextValues.MAX_SIMPLE_VALUE_BYTES];
        assertThat(TextValues.binaryValue(TextValues.base64Constant(max), 255).orElseThrow()).hasSize(255);
        String tooLong = TextValues.base64Constant(new byte[256]);
        assertThat(reason(TextValues.binaryValue(tooLong, 255))).contains("longer than 255");
    }

    // ---- writing -------------------------------------------------------------------------------------------------

    @Test
    void encodersWriteWhatTheParserReads() {
        byte[] bytes = {(byte) 0xff, 0, 0x10};
        assertThat(TextValues.hexConstant(bytes)).isEqualTo("0xff0010");
        assertThat(TextValues.base64Constant(bytes)).isEqualTo("0b/wAQ");
        assertThat(TextValues.binaryValue(TextValues.hexConstant(bytes), 3).orElseThrow()).isEqualTo(bytes);
        assertThat(TextValues.binaryValue(TextValues.base64Constant(bytes), 3).orElseThrow()).isEqualTo(bytes);
        assertThat(TextValues.decimalConstant(-1L)).isEqualTo("18446744073709551615");
    }
}
