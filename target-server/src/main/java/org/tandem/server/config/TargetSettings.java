package org.tandem.server.config;

import org.tandem.server.negotiation.Directive;
import org.tandem.server.negotiation.IscsiKey;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The values of one target's ietd.conf directives: what the file said, {@link IscsiKey}'s defaults for the rest;
 * and what the target offers in the operational stage because of them. Immutable.
 */
public final class TargetSettings {
    /** A digest directive's value when the file has none: both allowed, no digest preferred. */
    private static final String DEFAULT_DIGESTS = "None,CRC32C";

    private final Map<IscsiKey, Integer> numbers;
    private final Map<IscsiKey, String> digests;

    private TargetSettings(Map<IscsiKey, Integer> numbers, Map<IscsiKey, String> digests) {
        this.numbers = Collections.unmodifiableMap(new EnumMap<>(numbers));
        this.digests = Collections.unmodifiableMap(digests.isEmpty() ? Map.of() : new EnumMap<>(digests));
    }

    public static TargetSettings defaults() {
        return new Builder().build();
    }

    /**
     * A number or boolean directive's value (booleans as 0 or 1).
     *
     * @throws IllegalArgumentException for a key no directive sets
     */
    public int number(IscsiKey key) {
        return numbers.getOrDefault(key, directive(key).defaultValue());
    }

    public boolean flag(IscsiKey key) {
        return number(key) != 0;
    }

    /** A digest directive's value: "None", "CRC32C" or a comma list of them, in preference order. */
    public String digest(IscsiKey key) {
        return digests.getOrDefault(key, DEFAULT_DIGESTS);
    }

    /** The settings given explicitly (not defaults), for writing the configuration back, in table order. */
    public Map<IscsiKey, Integer> explicitNumbers() {
        return numbers;
    }

    public Map<IscsiKey, String> explicitDigests() {
        return digests;
    }

    /**
     * What the target offers for each negotiated key (RFC 7143 section 6.2): its directive's value for the keys a
     * directive sets, Tandem's fixed offer for the others; a key with neither (a declaration) is absent. The
     * target's own directives are never offered.
     */
    public Map<IscsiKey, String> offer() {
        Map<IscsiKey, String> offer = new EnumMap<>(IscsiKey.class);
        for (IscsiKey key : IscsiKey.values()) {
            if (key.negotiated()) {
                key.directive().map(d -> value(key, d)).or(key::fixedOffer).ifPresent(v -> offer.put(key, v));
            }
        }
        return offer;
    }

    /** A directive's value as the login writes it. */
    private String value(IscsiKey key, Directive d) {
        return d.kind() == Directive.Kind.DIGEST ? digest(key) : d.text(number(key));
    }

    private static Directive directive(IscsiKey key) {
        return key.directive().orElseThrow(() -> new IllegalArgumentException("no ietd.conf directive sets "
                + key.keyName()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetSettings t && numbers.equals(t.numbers) && digests.equals(t.digests);
    }

    @Override
    public int hashCode() {
        return numbers.hashCode() * 31 + digests.hashCode();
    }

    /** Collects values while a stanza is parsed. */
    public static final class Builder {
        private final Map<IscsiKey, Integer> numbers = new EnumMap<>(IscsiKey.class);
        private final Map<IscsiKey, String> digests = new EnumMap<>(IscsiKey.class);

        public Builder set(IscsiKey key, int value) {
            numbers.put(key, value);
            return this;
        }

        public Builder digest(IscsiKey key, String value) {
            digests.put(key, value);
            return this;
        }

        public int number(IscsiKey key) {
            return numbers.getOrDefault(key, directive(key).defaultValue());
        }

        public TargetSettings build() {
            return new TargetSettings(numbers, digests);
        }
    }
}
