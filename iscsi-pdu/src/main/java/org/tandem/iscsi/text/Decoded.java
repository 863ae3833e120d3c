package org.tandem.iscsi.text;

/**
 * What reading one numerical or binary text value gave: the value with the encoding it was written in, or the
 * reason it is not a valid value (an error as a value, so callers answer "Reject" or fail CHAP without
 * exceptions). Test with {@code instanceof Decoded.Invalid}, then take the value with {@link #orElseThrow()}.
 *
 * @param <T> {@code Long} (unsigned) for numerical values, {@code byte[]} for binary values
 */
public sealed interface Decoded<T> permits Decoded.Value, Decoded.Invalid {

    /** The value; throws {@link IllegalStateException} with the reason when there is none. */
    T orElseThrow();

    /**
     * A valid value. For {@code byte[]} values equality is that of the array's identity.
     *
     * @param value    the value: an unsigned {@code long} (read with {@link Long#compareUnsigned}) or the bytes
     * @param encoding how the initiator wrote it
     */
    record Value<T>(T value, ValueEncoding encoding) implements Decoded<T> {
        @Override
        public T orElseThrow() {
            return value;
        }
    }

    /**
     * Not a valid value of the expected type.
     *
     * @param reason what is wrong, for a log line; quotes at most 40 characters of the text, non-printable ones
     *               replaced
     */
    record Invalid<T>(String reason) implements Decoded<T> {
        @Override
        public T orElseThrow() {
            throw new IllegalStateException(reason);
        }
    }
}
