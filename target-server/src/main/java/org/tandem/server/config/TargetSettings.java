package org.tandem.server.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The values of one target's settings: what the file said, IET's defaults for the rest. Immutable. */
public final class TargetSettings {
    private final Map<TargetSetting, Integer> numbers;
    private final Map<TargetSetting, String> digests;

    private TargetSettings(Map<TargetSetting, Integer> numbers, Map<TargetSetting, String> digests) {
        this.numbers = Collections.unmodifiableMap(new EnumMap<>(numbers));
        this.digests = Collections.unmodifiableMap(digests.isEmpty() ? Map.of() : new EnumMap<>(digests));
    }

    public static TargetSettings defaults() {
        return new Builder().build();
    }

    public int number(TargetSetting s) {
        return numbers.getOrDefault(s, s.defaultValue());
    }

    public boolean flag(TargetSetting s) {
        return number(s) != 0;
    }

    /** A digest directive's value: "None", "CRC32C" or a comma list of them, in preference order. */
    public String digest(TargetSetting s) {
        return digests.getOrDefault(s, "None,CRC32C");
    }

    /** The settings given explicitly (not defaults), for writing the configuration back. */
    public Map<TargetSetting, Integer> explicitNumbers() {
        return numbers;
    }

    public Map<TargetSetting, String> explicitDigests() {
        return digests;
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
        private final Map<TargetSetting, Integer> numbers = new EnumMap<>(TargetSetting.class);
        private final Map<TargetSetting, String> digests = new EnumMap<>(TargetSetting.class);

        public Builder set(TargetSetting s, int value) {
            numbers.put(s, value);
            return this;
        }

        public Builder digest(TargetSetting s, String value) {
            digests.put(s, value);
            return this;
        }

        public int number(TargetSetting s) {
            return numbers.getOrDefault(s, s.defaultValue());
        }

        public TargetSettings build() {
            return new TargetSettings(numbers, digests);
        }
    }
}
